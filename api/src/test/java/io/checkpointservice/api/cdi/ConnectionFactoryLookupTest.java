package io.checkpointservice.api.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.checkpointservice.api.CheckpointException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionFactoryLookupTest {

    @Test
    void aPortableNameIsTheApplicationsReferenceFirstThenEachServersBinding() {
        assertEquals(List.of("java:comp/env/eis/checkpoint", "java:/eis/checkpoint", "eis/checkpoint"),
                ConnectionFactoryLookup.candidates(CheckpointResource.DEFAULT_NAME),
                "component reference, then WildFly's java:/ binding, then Payara's global name");
    }

    @Test
    void aJndiNameWithAColonIsLookedUpAsGivenOnly() {
        assertEquals(List.of("java:/eis/checkpoint-orders"), ConnectionFactoryLookup.candidates("java:/eis/checkpoint-orders"));
        assertEquals(List.of("java:global/cp"), ConnectionFactoryLookup.candidates("java:global/cp"));
    }

    @Test
    void aLeadingSlashDoesNotDoubleTheSeparator() {
        assertEquals(List.of("java:comp/env/eis/x", "java:/eis/x", "eis/x"), ConnectionFactoryLookup.candidates("/eis/x"));
    }

    @Test
    void aBlankNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConnectionFactoryLookup.candidates(" "));
        assertThrows(IllegalArgumentException.class, () -> ConnectionFactoryLookup.candidates(null));
    }

    @Test
    void withoutANamingServiceTheFailureNamesEveryNameTried() {
        // Outside a server the JDK has no initial context: every candidate fails, as a name no server binds would.
        CheckpointException e = assertThrows(CheckpointException.class, () -> ConnectionFactoryLookup.find("eis/none"));
        for (String tried : List.of("java:comp/env/eis/none", "java:/eis/none", "eis/none")) {
            assertTrue(e.getMessage().contains(tried), "the message should name " + tried + ": " + e.getMessage());
        }
    }
}
