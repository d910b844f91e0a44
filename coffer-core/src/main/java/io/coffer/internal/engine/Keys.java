package io.coffer.internal.engine;

/** Key checks shared by every operation. Stateless. */
final class Keys {
    private Keys() {
    }

    /**
     * The UTF-8 length of {@code key}, or -1 if it is not valid Unicode (an unpaired surrogate), which
     * would otherwise be silently replaced by '?' and collide with another key.
     */
    static int utf8Length(String key) {
        int length = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    return -1;
                }
                length += 4;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return -1;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
