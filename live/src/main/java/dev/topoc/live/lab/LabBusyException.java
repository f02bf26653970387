package dev.topoc.live.lab;

/** Another process holds the lock of a lab for longer than the caller would wait ({@code E0904}). */
public final class LabBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final dev.topoc.live.exec.LiveCode CODE = dev.topoc.live.exec.LiveCode.LIVE_BUSY;

    public LabBusyException(LabId id, String holderPid) {
        super(CODE.format(id.name(), holderPid));
    }
}
