/** What a GET answered: the HTTP status (-1 when nothing listens) and the body. */
record Probe(int code, String body) {
}
