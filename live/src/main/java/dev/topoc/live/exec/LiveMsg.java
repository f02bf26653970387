package dev.topoc.live.exec;

import dev.topoc.compiler.diag.Template;

/** The wordings of live codes reported from several places (see {@link LiveCode}). */
public enum LiveMsg implements Template {
    /** {0}: the failed step. */
    ROLLED_BACK(LiveCode.LIVE_ROLLED_BACK, "{0}; rolled back to the state before the run"),
    /** {0}: the failed step, {1}: what the rollback left, {2}: the record's path, {3}: the lab. */
    ROLLBACK_LEFT(LiveCode.LIVE_ROLLED_BACK,
            "{0}; {1} (the record {2} keeps what the run created: `topoc down --lab {3}` removes the lab)");

    private final LiveCode code;
    private final String text;

    LiveMsg(LiveCode code, String text) {
        this.code = code;
        this.text = text;
    }

    @Override
    public LiveCode code() {
        return code;
    }

    @Override
    public String text() {
        return text;
    }
}
