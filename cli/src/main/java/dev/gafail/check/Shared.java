package dev.gafail.check;

import dev.gafail.engine.StepFailure;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** A read that several items use, made once on the check's pool: its value, or the failure they all report. */
final class Shared<T> {

    private final Future<T> read;

    Shared(Future<T> read) {
        this.read = read;
    }

    T get() throws StepFailure, InterruptedException {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StepFailure failure) {
                throw failure;
            }
            throw StepFailure.permanent(String.valueOf(e.getCause()));
        }
    }
}
