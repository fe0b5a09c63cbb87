package io.checkpointservice.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void payloadsAreRepeatableAndNamesDistinct() {
        assertArrayEquals(Payloads.generate(4096, 1), Payloads.generate(4096, 1));
        assertFalse(Arrays.equals(Payloads.generate(4096, 1), Payloads.generate(4096, 2)));
        assertEquals(65536, Payloads.generate(65536, 2).length);
        assertEquals(List.of("p-0", "p-1", "p-2"), List.of(Payloads.names("p", 3)));
    }

    @Test
    void aVersionsSizeAndBytesFollowFromItsNumberAlone() {
        for (long version = 1; version <= 20; version++) {
            byte[] bytes = Payloads.forVersion(version, 1_000, 200_000);
            assertEquals(Payloads.sizeForVersion(version, 1_000, 200_000), bytes.length);
            assertTrue(bytes.length >= 1_000 && bytes.length <= 200_000, bytes.length + " bytes");
            assertEquals(Payloads.Expected.forVersion(version, 1_000, 200_000).sha256(), Payloads.sha256(bytes));
        }
    }
}
