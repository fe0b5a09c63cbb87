package io.checkpointservice.it.badinput;

/**
 * The one assertion the rows need without JUnit on the server: a call throws exactly the
 * documented exception type, with a message that says what is wrong.
 */
public final class Expect {

    /** A call that may throw anything. */
    @FunctionalInterface
    public interface Call {
        Object run() throws Exception;
    }

    private Expect() {
    }

    /**
     * @param type the exact class expected (a subclass does not count: the API documents types)
     * @param messagePart what the message must contain, so that it says what is wrong
     * @return the exception, for further checks
     * @throws AssertionError when the call returns, or throws something else
     */
    public static <T extends Throwable> T thrown(Class<T> type, String messagePart, Call call) {
        Object returned;
        try {
            returned = call.run();
        } catch (Throwable t) {
            if (t.getClass() != type) {
                AssertionError error = new AssertionError("expected " + type.getName() + " containing '"
                        + messagePart + "', got " + t);
                error.initCause(t);
                throw error;
            }
            String message = t.getMessage();
            if (message == null || !message.contains(messagePart)) {
                throw new AssertionError("expected the message of " + type.getSimpleName() + " to contain '"
                        + messagePart + "', got '" + message + "'");
            }
            return type.cast(t);
        }
        throw new AssertionError("expected " + type.getName() + " containing '" + messagePart
                + "', but the call returned " + describe(returned));
    }

    /** @throws AssertionError with {@code message} when {@code condition} is false */
    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static String describe(Object value) {
        return value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
    }
}
