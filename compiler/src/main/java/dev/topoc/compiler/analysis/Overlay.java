package dev.topoc.compiler.analysis;

import dev.topoc.compiler.model.Interface;

/**
 * A VXLAN overlay: the devices that decapsulate each other's frames share a VNI and a UDP port (the
 * kernel demultiplexes on both), so two overlays with VNI 42 on ports 4789 and 4790 are two segments.
 */
public record Overlay(long vni, int port) {
    public static Overlay of(Interface.Vxlan x) {
        return new Overlay(x.vni(), x.port());
    }
}
