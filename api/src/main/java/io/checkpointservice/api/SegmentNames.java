package io.checkpointservice.api;

/**
 * The rules for segment names and namespaces, in one place so that an application can check a
 * name before it writes, and the adapter checks it the same way.
 *
 * <p>A name is 1 to {@value #MAX_NAME_LENGTH} characters of {@code A-Z a-z 0-9 . _ -}, split
 * into words by {@code /}; no word is empty, {@code .} or {@code ..}. A namespace is one such
 * word of at most {@value #MAX_NAMESPACE_LENGTH} characters. Names are plain ASCII on purpose:
 * they become file names and cluster keys on every node, whatever its file system or locale.
 */
public final class SegmentNames {

    /** Longest segment name, in characters, without the namespace. */
    public static final int MAX_NAME_LENGTH = 200;

    /** Longest namespace, in characters. */
    public static final int MAX_NAMESPACE_LENGTH = 64;

    private SegmentNames() {
    }

    /**
     * Checks a segment name as the application passes it (without namespace).
     *
     * @param name the name to check
     * @return the same name, for chaining
     * @throws InvalidSegmentNameException saying what is wrong, when the name breaks a rule
     */
    public static String requireValidName(String name) {
        if (name == null) {
            throw new InvalidSegmentNameException("segment name is null");
        }
        if (name.isEmpty()) {
            throw new InvalidSegmentNameException("segment name is empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidSegmentNameException("segment name has " + name.length()
                    + " characters, more than the limit of " + MAX_NAME_LENGTH);
        }
        for (String word : name.split("/", -1)) {
            checkWord(word, "segment name '" + printable(name) + "'");
        }
        return name;
    }

    /**
     * Checks a namespace as configured on a connection factory.
     *
     * @param namespace the namespace to check
     * @return the same namespace, for chaining
     * @throws InvalidSegmentNameException saying what is wrong, when it breaks a rule
     */
    public static String requireValidNamespace(String namespace) {
        if (namespace == null) {
            throw new InvalidSegmentNameException("namespace is null");
        }
        if (namespace.length() > MAX_NAMESPACE_LENGTH) {
            throw new InvalidSegmentNameException("namespace has " + namespace.length()
                    + " characters, more than the limit of " + MAX_NAMESPACE_LENGTH);
        }
        checkWord(namespace, "namespace '" + printable(namespace) + "'");
        return namespace;
    }

    /** @return {@code true} when {@link #requireValidName} would accept {@code name} */
    public static boolean isValidName(String name) {
        try {
            requireValidName(name);
            return true;
        } catch (InvalidSegmentNameException e) {
            return false;
        }
    }

    private static void checkWord(String word, String what) {
        if (word.isEmpty()) {
            throw new InvalidSegmentNameException(what
                    + " has an empty word: it must not start or end with '/' or contain '//'");
        }
        if (word.equals(".") || word.equals("..")) {
            throw new InvalidSegmentNameException(what + " has a '" + word
                    + "' word, which is reserved");
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!isAllowed(c)) {
                throw new InvalidSegmentNameException(what + " has the character "
                        + describe(c) + " at position " + i + " of word '" + printable(word)
                        + "'; allowed are A-Z a-z 0-9 . _ - and '/' between words");
            }
        }
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static String describe(char c) {
        return String.format("U+%04X", (int) c) + (c >= 0x20 && c < 0x7f ? " '" + c + "'" : "");
    }

    /** Keeps control characters and very long input out of exception messages and logs. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 80; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 80 ? out + "..." : out.toString();
    }
}
