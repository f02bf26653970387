package dev.topoc.live.lab;

/** Another process holds the lock of a lab for longer than the caller would wait ({@code E0904}). */
public final class LabBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final dev.topoc.compiler.diag.Code CODE = dev.topoc.compiler.diag.Code.LIVE_BUSY;

    public LabBusyException(LabId id, String holderPid) {
        super("lab " + id.name() + " is being changed by another topoc (pid " + holderPid
                + "); try again when it has finished (or raise --wait)");
    }
}
