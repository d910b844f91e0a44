package io.coffer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coffer.reports.Code;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorHandlingTest {

    @Test
    void eachStepAnswersTheCodeItDemonstrates(@TempDir Path dir) {
        ErrorHandling.Result result = ErrorHandling.run(dir);

        assertEquals(List.of(
                Code.ERR_NOT_FOUND,
                Code.ERR_EXCEEDING_MAX_KEY_LENGTH,
                Code.ERR_RECORDS_FOUND,
                Code.ERR_HANDLER_RETURN,
                Code.PANIC_STOPPED,
                Code.OK), result.codes());
    }

    @Test
    void theRefusedDebitChangedNothing(@TempDir Path dir) {
        assertEquals(100, ErrorHandling.run(dir).aliceAfterRefusedDebit());
    }
}
