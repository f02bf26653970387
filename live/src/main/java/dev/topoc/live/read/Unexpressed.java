package dev.topoc.live.read;

/**
 * A kernel object the reader found but the language cannot say (a VRF, a tc qdisc, an nftables table
 * topoc does not own, a route of a protocol it does not write, ...). The reader never drops such an
 * object silently: it lands here, and {@code import} prints each one as a warning.
 *
 * @param node      the node (namespace) the object lives in
 * @param object    the kernel object, named as {@code ip} or {@code nft} would name it
 *                  (e.g. {@code link bond0}, {@code route 10.0.0.0/8 table 7 proto bird}, {@code nft table inet fw})
 * @param reason    why the language cannot express it, in a few words
 */
public record Unexpressed(String node, String object, String reason) {
    @Override
    public String toString() {
        return node + ": " + object + ": " + reason;
    }
}
