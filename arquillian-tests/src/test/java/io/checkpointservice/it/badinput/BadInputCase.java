package io.checkpointservice.it.badinput;

/**
 * One row of the bad-input table: a name for the reports and what the row does. A row throws
 * {@link AssertionError} saying what it expected when the adapter misbehaves; the runner
 * ({@link BadInputServlet}) then also checks that nothing stored was touched.
 *
 * @param name the row's name, shown in the test report
 * @param body the call(s) and the expectations
 */
public record BadInputCase(String name, Body body) {

    /** The row's calls against the real connection factories, inside WildFly. */
    @FunctionalInterface
    public interface Body {
        void run(CaseContext context) throws Exception;
    }
}
