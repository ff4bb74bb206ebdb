package io.jipvs.control.fullnat;

/** nftables could not do what jipvs asked: the message is one sentence for the operator. */
public final class NftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An nft failure.
     *
     * @param message what went wrong and, where known, what to install or load
     */
    public NftException(String message) {
        super(message);
    }
}
