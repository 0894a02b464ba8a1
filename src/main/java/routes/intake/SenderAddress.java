package routes.intake;

/** The address inside a sender written as {@code Name <addr>} or a bare address. */
final class SenderAddress {

    private SenderAddress() {
    }

    static String address(String sender) {
        int open = sender.lastIndexOf('<');
        int close = sender.lastIndexOf('>');
        return open >= 0 && close > open ? sender.substring(open + 1, close) : sender;
    }
}
