package dev.topoc.backends.template;

import org.stringtemplate.v4.STErrorListener;
import org.stringtemplate.v4.misc.STMessage;

/** Template errors are bugs of ours: fail loudly instead of rendering a half-empty file. */
public final class FailingErrorListener implements STErrorListener {
    @Override
    public void compileTimeError(STMessage msg) {
        throw new IllegalStateException("template error: " + msg);
    }

    @Override
    public void runTimeError(STMessage msg) {
        throw new IllegalStateException("template error: " + msg);
    }

    @Override
    public void IOError(STMessage msg) {
        throw new IllegalStateException("template error: " + msg);
    }

    @Override
    public void internalError(STMessage msg) {
        throw new IllegalStateException("template error: " + msg);
    }
}
