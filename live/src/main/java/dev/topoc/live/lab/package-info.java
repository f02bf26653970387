/**
 * Lab records: which labs run on this machine, from which file (path and content hash), under which prefix, and
 * which objects each owns ({@link dev.topoc.live.lab.LabStore} is the entry point; {@link dev.topoc.live.lab.LabRecord}
 * documents identity and ownership).
 */
package dev.topoc.live.lab;
