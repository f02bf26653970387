package dev.topoc.compiler.diag;

/**
 * A code enum constant ({@link Code}, and the backends' and the live stage's code enums) that is also the
 * template of its own wording: everything is read from its {@link CodeInfo}, so an enum holds only its
 * constants, one field and {@link #info()}.
 */
public interface OwnCode extends DiagnosticCode, Template {
    CodeInfo info();

    @Override
    default String id() {
        return info().id();
    }

    @Override
    default Severity severity() {
        return info().severity();
    }

    @Override
    default String title() {
        return info().title();
    }

    @Override
    default DiagnosticCode code() {
        return this;
    }

    /** The message template, or null when the code's wordings are separate templates. */
    @Override
    default String text() {
        return info().text();
    }

    @Override
    default String hint() {
        return info().hint();
    }
}
