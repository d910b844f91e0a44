package io.coffer.internal.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coffer.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** An inner node finds a key's child by its separators' heads exactly as a full comparison with each would. */
class SeparatorHeadsTest {
    private static final char[] LATIN1 = {'\u0000', '\u0001', '0', '1', '9', 'a', 'b', '\u007f', '\u0080', '\u00ff'};
    private static final char[] ANY = {'\u0000', 'a', '\u00ff', '\u0100', '\ud800', '\udc00', '\uffff'};
    private static final String[] PREFIXES = {"", "a", "acct-", "acct-00000000", "\u0000\u0000", "\u00ff\u00ff\u00ff"};

    @Test
    void theDocumentedNodePlacesKeysBetweenItsSeparators() {
        SortedKeyIndex.Inner node = node(List.of("acct-0012", "acct-0019", "acct-0105", "acct-0105a"));
        assertEquals(0, node.slotOf("acct-0011"));
        assertEquals(0, node.slotOf("acct-"));
        assertEquals(0, node.slotOf("ab"));
        assertEquals(1, node.slotOf("acct-0012"));
        assertEquals(1, node.slotOf("acct-0012\u0000"));
        assertEquals(1, node.slotOf("acct-00189999999999"));
        assertEquals(3, node.slotOf("acct-0105"));
        assertEquals(3, node.slotOf("acct-0105\u0000"));
        assertEquals(4, node.slotOf("acct-0105a"));
        assertEquals(4, node.slotOf("acct-1"));
        assertEquals(4, node.slotOf("acct-0\u0100"));
        assertEquals(4, node.slotOf("b"));
        assertNotNull(SeparatorHeads.of(node.lows), "Latin-1 separators are summarised");
    }

    @Test
    void separatorsBeyondLatin1InTheirHeadsAreSearchedThePlainWay() {
        assertNull(SeparatorHeads.of(new Object[] {null, "a\u0100", "a\u0101"}));
        assertNull(SeparatorHeads.of(new Object[] {null, "\u0100a", "\u0100b"}), "in the prefix");
        assertNotNull(SeparatorHeads.of(new Object[] {null, "a0123456789abcdefgh\u0100", "a0123456799"}), "beyond the head");
        assertNull(SeparatorHeads.of(new Object[] {null}), "no separator");
    }

    /** Random nodes of random shapes, Latin-1 or not, held as bytes or strings; every probe against the full search. */
    @Test
    void everyKeyLandsWhereAFullSearchPutsIt() {
        long seed = Seeds.seed("SeparatorHeadsTest");
        Random random = new Random(seed);
        int summarised = 0;
        for (int round = 0; round < 2_000; round++) {
            char[] alphabet = random.nextInt(4) == 0 ? ANY : LATIN1;
            String prefix = PREFIXES[random.nextInt(PREFIXES.length)];
            TreeSet<String> separators = new TreeSet<>();
            int count = 1 + random.nextInt(SortedKeyIndex.MAX_CHILDREN);
            while (separators.size() < count) {
                separators.add(randomKey(random, prefix, alphabet));
            }
            SortedKeyIndex.Inner node = node(new ArrayList<>(separators));
            summarised += SeparatorHeads.of(node.lows) == null ? 0 : 1;
            List<Object> probes = new ArrayList<>(Arrays.asList(node.lows).subList(1, node.lows.length));
            for (int i = 0; i < 40; i++) {
                String probe = random.nextBoolean()
                        ? randomKey(random, PREFIXES[random.nextInt(PREFIXES.length)], random.nextBoolean() ? ANY : LATIN1)
                        : separators.first().substring(0, random.nextInt(separators.first().length() + 1)) + randomKey(random, "", alphabet);
                probes.add(probe);
                probes.add(StoredKey.of(probe));
            }
            for (Object probe : probes) {
                assertEquals(SeparatorHeads.plainSlot(node.lows, 1, node.lows.length, probe), node.slotOf(probe),
                        "probe " + StoredKey.text(probe) + " in " + separators + ", seed=" + seed);
            }
        }
        assertTrue(summarised > 1_000, summarised + " of 2,000 nodes summarised (three in four are Latin-1), seed=" + seed);
    }

    private static String randomKey(Random random, String prefix, char[] alphabet) {
        StringBuilder key = new StringBuilder(prefix);
        for (int length = random.nextInt(12); length > 0; length--) {
            key.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return key.toString();
    }

    /** An inner node whose separators are {@code sorted}, held as the store holds keys; its children do not matter here. */
    private static SortedKeyIndex.Inner node(List<String> sorted) {
        Object[] lows = new Object[sorted.size() + 1];
        for (int i = 0; i < sorted.size(); i++) {
            lows[i + 1] = StoredKey.of(sorted.get(i));
        }
        return new SortedKeyIndex.Inner(lows, new Object[lows.length]);
    }
}
