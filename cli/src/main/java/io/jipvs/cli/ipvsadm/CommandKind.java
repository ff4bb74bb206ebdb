package io.jipvs.cli.ipvsadm;

/**
 * ipvsadm's commands with the name its messages use and their row of the command × option
 * compatibility matrix (columns in {@link OptionKind} order): '+' compulsory, 'x' illegal,
 * '1' at most one of the '1' options, '.' optional.
 */
public enum CommandKind {
    ADD_SERVICE("add-service", "xx+...xxxxxxxxxxxxxxx...xxxxxxxxxx"),
    EDIT_SERVICE("edit-service", "xx+...xxxxxxxxxxxxxxx...xxxxxxxxxx"),
    DELETE_SERVICE("delete-service", "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    FLUSH("flush", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    LIST("list", ".11xxxxxxxxx11.......xxxxxxx.xxxxx"),
    ADD_SERVER("add-server", "xx+xxx+....xxxxxxxxxxxxxxxxxx....."),
    DELETE_SERVER("delete-server", "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    EDIT_SERVER("edit-server", "xx+xxx+....xxxxxxxxxxxxxxxxxx....."),
    SET("set", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    START_DAEMON("start-daemon", "xxxxxxxxxxx.xxxxxxx.xxxx....xxxxxx"),
    STOP_DAEMON("stop-daemon", "xxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxx"),
    RESTORE("restore", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    SAVE("save", ".xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ZERO("zero", "xx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    /** -h: prints the usage at once; never reaches the matrix. */
    HELP("help", "..................................") ,
    /** -v: prints the version at once; never reaches the matrix. */
    VERSION("version", "..................................");

    private final String text;
    private final String row;

    CommandKind(String text, String row) {
        if (row.length() != OptionKind.values().length) {
            throw new AssertionError(text + " matrix row has " + row.length() + " columns");
        }
        this.text = text;
        this.row = row;
    }

    /** The name ipvsadm's messages use ("add-service", "list", ...). */
    public String text() {
        return text;
    }

    /** The matrix row, one symbol per {@link OptionKind}, in its order. */
    public String row() {
        return row;
    }
}
