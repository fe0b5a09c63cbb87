package io.checkpointservice.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts real JVM processes (each one a child of its own) and kills them. */
class JavaProcessIT {

    private static final Pattern READY = Pattern.compile("ready, child pid (\\d+), argument (.*)");

    @TempDir
    Path directory;

    @Test
    void killEndsTheProcessAndTheProcessesItStarted() {
        Path log = directory.resolve("logs/parent.log");
        JavaProcess parent = JavaProcess.start("parent", log, JavaCommand.create().maxHeap("64m")
                .mainClass(SleepingParent.class.getName()).arguments("one").toList());
        try {
            Matcher ready = parent.awaitLogLine(READY, Duration.ofSeconds(60));
            assertEquals("one", ready.group(2));
            ProcessHandle child = ProcessHandle.of(Long.parseLong(ready.group(1))).orElseThrow();
            assertTrue(child.isAlive());

            parent.kill();

            assertFalse(parent.isAlive(), "the process outlived kill()");
            Await.await("the child of the killed process is gone").until(() -> !child.isAlive());
            assertTrue(parent.log().contains("ready, child pid"), parent.log());
        } finally {
            parent.killQuietly();
        }
    }

    @Test
    void aProcessThatExitsBeforeItIsReadyFailsTheWaitWithItsLog() {
        JavaProcess broken = JavaProcess.start("broken", directory.resolve("broken.log"),
                JavaCommand.create().mainClass("no.such.MainClass").toList());
        try {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> broken.awaitLogLine(READY, Duration.ofSeconds(60)));
            assertTrue(e.getMessage().contains("broken exited with status 1"), e.getMessage());
            assertTrue(e.getMessage().contains("no.such.MainClass"), e.getMessage());
        } finally {
            broken.killQuietly();
        }
    }

    @Test
    void eachInstanceReadsOnlyItsOwnPartOfASharedLogFile() throws Exception {
        Path log = directory.resolve("shared.log");
        List<String> command = JavaCommand.create().mainClass(SleepingParent.class.getName()).arguments("first").toList();
        JavaProcess first = JavaProcess.start("node", log, command);
        first.awaitLogLine(READY, Duration.ofSeconds(60));
        first.kill();
        JavaProcess second = JavaProcess.start("node", log, JavaCommand.create()
                .mainClass(SleepingParent.class.getName()).arguments("second").toList());
        try {
            assertEquals("second", second.awaitLogLine(READY, Duration.ofSeconds(60)).group(2));
            assertFalse(second.log().contains("argument first"), second.log());
            assertTrue(Files.readString(log).contains("argument first"));
        } finally {
            second.killQuietly();
        }
    }

    @Test
    void aProcessThatMissesItsLineLeavesAThreadDumpInItsLog() {
        JavaProcess parent = JavaProcess.start("stuck", directory.resolve("stuck.log"), JavaCommand.create()
                .maxHeap("64m").mainClass(SleepingParent.class.getName()).arguments("stuck").toList());
        try {
            parent.awaitLogLine(READY, Duration.ofSeconds(60));
            AssertionError e = assertThrows(AssertionError.class,
                    () -> parent.awaitLogLine(Pattern.compile("a line it never logs"), Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("thread dump of pid " + parent.pid() + " appended to the log"),
                    e.getMessage());
            assertTrue(parent.log().contains("Full thread dump"), parent.log());
            assertTrue(parent.log().contains("\"main\""), "the dump names the main thread: " + parent.log());
        } finally {
            parent.killQuietly();
        }
    }
}
