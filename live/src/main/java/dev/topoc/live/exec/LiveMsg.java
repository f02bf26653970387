package dev.topoc.live.exec;

import dev.topoc.compiler.diag.Template;

/** The wordings of live codes reported from several places (see {@link LiveCode}). */
public enum LiveMsg implements Template {
    /** {0}: the failed step. */
    ROLLED_BACK(LiveCode.LIVE_ROLLED_BACK, "{0}; rolled back to the state before the run"),
    /** {0}: the failed step, {1}: what the rollback left, {2}: the record's path, {3}: the lab. */
    ROLLBACK_LEFT(LiveCode.LIVE_ROLLED_BACK,
            "{0}; {1} (the record {2} keeps what the run created: `topoc down --lab {3}` removes the lab)"),
    /** {0}: the namespace, {1}: its node. */
    UNOWNED_NAMESPACE(LiveCode.LIVE_UNOWNED_NAMESPACE,
            "namespace {0} (node {1}) exists and no lab owns it (built by apply.sh or by hand?): delete it, or "
            + "`topoc up --replace` to adopt it"),
    /** {0}: the namespace, {1}: what the sandbox of a topology across machines uses it for. */
    UNOWNED_SANDBOX_NAMESPACE(LiveCode.LIVE_UNOWNED_NAMESPACE,
            "namespace {0} ({1}) exists and no lab owns it: delete it (a sandbox made by `topoc compile --target ansible "
            + "--sandbox` goes with its sandbox-down.sh), or use another --prefix"),
    /** {0}: the playbook, {1}: the machine, {2}: its message. */
    PLAYBOOK_FAILED(LiveCode.LIVE_PLAYBOOK_FAILED, "{0} failed on machine {1}: {2}"),
    /** {0}: the lab's folder, {1}: its record. */
    FOLDER_GONE(LiveCode.LIVE_PLAYBOOK_FAILED, "the lab's folder {0}, with its teardown.yml, is gone: compile the file "
            + "again with --target ansible into a folder, run its teardown.yml (and sandbox-down.sh), then delete the record {1}"),
    /** {0}: the program, {1}: its exit code, {2}: its last lines. */
    PLAYBOOK_EXIT(LiveCode.LIVE_PLAYBOOK_FAILED, "{0} exited with {1}: {2}");

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
