package io.checkpointservice.replica.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.testsupport.Payloads;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fault trials' checker on its own: it must accept what the guarantees allow and catch each
 * kind of answer they rule out. (The trials on real processes only ever show it passing.)
 */
class TrialModelTest {

    private static final int R = 2;
    private static final int FOUR_OTHERS = 4;

    private final TrialModel model = new TrialModel(R);
    private final Payloads.Expected p1 = Payloads.Expected.of(100, 1);
    private final Payloads.Expected p2 = Payloads.Expected.of(100, 2);
    private final Payloads.Expected p3 = Payloads.Expected.of(100, 3);

    private void load(String node, long version, Payloads.Expected p, String origin) {
        model.loaded(0, node, version, p.sha256(), p.size(), origin);
    }

    @Test
    void acceptsTakeOverAndContinuedWriting() {
        model.wrote(1, "A", 1, p1);
        model.awaited("A", 1, true, FOUR_OTHERS);
        load("B", 1, p1, "A");
        model.wrote(2, "B", 2, p2);
        model.awaited("B", 2, true, FOUR_OTHERS);
        assertTrue(model.crashed(Set.of("B", "C")), "the writer and R-1 others: within G4's premise");
        assertFalse(model.unavailableIsAllowed());
        load("D", 2, p2, "B");
        model.writeRejected("A");
    }

    @Test
    void catchesLoadOlderThanAcknowledged() {
        model.wrote(1, "A", 1, p1);
        model.wrote(2, "A", 2, p2);
        model.awaited("A", 2, true, FOUR_OTHERS);
        assertThrows(TrialModel.Violation.class, () -> load("B", 1, p1, "A"));
    }

    @Test
    void catchesLoadOlderThanPreviousLoad() {
        model.wrote(1, "A", 1, p1);
        model.wrote(2, "A", 2, p2);
        load("B", 2, p2, "A");
        assertThrows(TrialModel.Violation.class, () -> load("C", 1, p1, "A"));
    }

    @Test
    void catchesSuccessfulWriteOfFencedWriter() {
        model.wrote(1, "A", 1, p1);
        load("B", 1, p1, "A");
        assertThrows(TrialModel.Violation.class, () -> model.wrote(2, "A", 2, p2));
    }

    @Test
    void catchesUnpublishedWriteOfTakenOverWriterComingBack() {
        model.wrote(1, "A", 1, p1);
        model.wrote(2, "A", 2, p2); // not yet published when B takes over
        load("B", 1, p1, "A");
        model.wrote(3, "B", 2, p3); // B's own v2
        assertThrows(TrialModel.Violation.class, () -> load("C", 2, p2, "A"));
    }

    @Test
    void catchesHolderLoadingOlderThanItsOwnNewestWrite() {
        model.wrote(1, "A", 1, p1);
        model.wrote(2, "A", 2, p2);
        assertThrows(TrialModel.Violation.class, () -> load("A", 1, p1, "A"));
    }

    @Test
    void catchesBytesNoWriteProducedOrMislabelled() {
        model.wrote(1, "A", 1, p1);
        assertThrows(TrialModel.Violation.class, () -> load("B", 1, p2, "A"));
        assertThrows(TrialModel.Violation.class, () -> load("B", 2, p1, "A"));
        assertThrows(TrialModel.Violation.class, () -> load("B", 1, p1, "C"));
    }

    @Test
    void acknowledgedVersionMustSurviveCrashWithinPremise() {
        model.wrote(1, "A", 1, p1);
        model.awaited("A", 1, true, FOUR_OTHERS);
        assertTrue(model.crashed(Set.of("A", "C")));
        assertThrows(TrialModel.Violation.class, () -> model.unavailable("B", "after retries"));
        assertThrows(TrialModel.Violation.class, () -> model.loadedEmpty("B"));
    }

    @Test
    void unavailableIsAllowedOnlyBeyondThePremise() {
        assertTrue(model.unavailableIsAllowed(), "nothing acknowledged yet");
        model.wrote(1, "A", 1, p1);
        model.awaited("A", 1, true, FOUR_OTHERS);
        assertFalse(model.crashed(Set.of("A", "C", "D")), "the writer and R others: beyond G4's premise");
        model.unavailable("B", "after retries");
        assertThrows(TrialModel.Violation.class, () -> model.loadedEmpty("B"), "unavailable, never empty (G8)");
    }

    @Test
    void secondCrashWithoutNewAcknowledgementIsBeyondThePremise() {
        model.wrote(1, "A", 1, p1);
        model.awaited("A", 1, true, FOUR_OTHERS);
        assertTrue(model.crashed(Set.of("C")));
        assertFalse(model.crashed(Set.of("D")));
        assertTrue(model.unavailableIsAllowed());
    }

    @Test
    void catchesAwaitTrueWithFewerThanROtherNodes() {
        model.wrote(1, "A", 1, p1);
        assertThrows(TrialModel.Violation.class, () -> model.awaited("A", 1, true, R - 1));
    }

    @Test
    void catchesEmptyAfterAnotherNodesWriteWasLoaded() {
        model.wrote(1, "A", 1, p1);
        load("B", 1, p1, "A"); // fetched from the replicas: the record has data
        assertThrows(TrialModel.Violation.class, () -> model.loadedEmpty("C"));
    }

    @Test
    void emptyIsAllowedOnlyBeforeAnyAcknowledgement() {
        model.loadedEmpty("A");
        model.wrote(1, "A", 1, p1);
        assertFalse(model.crashed(Set.of("A")), "nothing acknowledged: no premise to be within");
        model.loadedEmpty("B"); // A's unacknowledged v1 died with it
        assertThrows(TrialModel.Violation.class, () -> load("C", 1, p1, "A"), "nothing of A's may come back");
    }

    @Test
    void aWholeClusterCrashInDiskModeMustLoseNothingAcknowledged() {
        model.wrote(1, "A", 1, p1);
        model.awaited("A", 1, true, FOUR_OTHERS);
        model.wrote(2, "A", 2, p2); // not awaited: its copy is on A's disk only
        model.wholeClusterCrashed(Set.of("A", "B", "C", "D", "E"));
        for (String node : List.of("A", "B", "C", "D", "E")) {
            model.restarted(node);
        }
        assertFalse(model.unavailableIsAllowed(), "every disk kept what it held: the acknowledged v1 must load");
        assertThrows(TrialModel.Violation.class, () -> model.loadedEmpty("B"), "absent after an acknowledgement");
        load("B", 2, p2, "A"); // A's unpublished v2 came back from its disk: newer than acknowledged, allowed
        assertFalse(model.crashed(Set.of("B")), "no acknowledgement since the restart: beyond G4's premise");
    }
}
