package io.coffer.internal.engine;

import io.coffer.reports.Code;

/** Why an operation was refused: its code and a message a person can act on. */
record Failure(Code code, String message) {
}
