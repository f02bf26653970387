/**
 * The live stage: the running network follows its file.
 *
 * <ul>
 *   <li>{@code dev.topoc.live.read}: the reader, kernel → model ({@code ip -j -batch} per namespace entered with
 *       nsenter, {@code nft -j}, parsed with Jackson) into the same {@code Topology} records the compiler produces;
 *   <li>{@code dev.topoc.live.diff}: the differ, model × model → ordered changes, each naming the file line that
 *       asks for it (or the lab record that owns what it removes);
 *   <li>{@code dev.topoc.live.exec}: the executor, changes → kernel, reversible (a failure rolls back), locked;
 *       for a topology with machines, {@code MachineLab} instead drives its playbook ({@code ansible-playbook} of the
 *       {@code --target ansible} output) under the same records and lock;
 *   <li>{@code dev.topoc.live.lab}: lab records: what a lab owns, from which file, under which prefix.
 * </ul>
 *
 * The CLI commands {@code plan}, {@code up}, {@code down}, {@code inspect}, {@code import} and {@code exec} are
 * thin shells over these packages.
 */
package dev.topoc.live;
