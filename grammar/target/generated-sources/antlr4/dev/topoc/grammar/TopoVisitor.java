// Generated from dev/topoc/grammar/Topo.g4 by ANTLR 4.13.2
package dev.topoc.grammar;
import org.antlr.v4.runtime.tree.ParseTreeVisitor;

/**
 * This interface defines a complete generic visitor for a parse tree produced
 * by {@link TopoParser}.
 *
 * @param <T> The return type of the visit operation. Use {@link Void} for
 * operations with no return type.
 */
public interface TopoVisitor<T> extends ParseTreeVisitor<T> {
	/**
	 * Visit a parse tree produced by {@link TopoParser#file}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitFile(TopoParser.FileContext ctx);
}