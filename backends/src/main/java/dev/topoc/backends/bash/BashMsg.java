package dev.topoc.backends.bash;

import dev.topoc.compiler.diag.Template;

/** The wordings of bash codes reported from several places (see {@link BashCode}). */
public enum BashMsg implements Template {
    LINK_NOT_BUILT(BashCode.BASH_NOT_PROVISIONED,
            "link {0} -- {1} is not built without --sandbox (it ends on an external node), so `{2}` is not created "
            + "or configured"),
    LINK_TO_PHYSICAL_NOT_BUILT(BashCode.BASH_NOT_PROVISIONED,
            "link {0} -- {1} is not built without --sandbox (it ends on a physical interface), so `{2}` is not "
            + "created or configured"),
    PARENT_NOT_BUILT(BashCode.BASH_NOT_PROVISIONED,
            "`{0}` is not created without --sandbox: its parent `{1}` is not provisioned");

    private final BashCode code;
    private final String text;

    BashMsg(BashCode code, String text) {
        this.code = code;
        this.text = text;
    }

    @Override
    public BashCode code() {
        return code;
    }

    @Override
    public String text() {
        return text;
    }
}
