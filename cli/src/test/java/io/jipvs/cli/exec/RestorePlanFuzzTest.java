package io.jipvs.cli.exec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.names.Resolver;

/**
 * {@code jipvs -R} over arbitrary standard input: every line is split, parsed and turned into the
 * kernel change it asks for before anything runs. Rejected lines are steps of the plan, not
 * exceptions, so planning must never throw: an exception here is an input that would crash a
 * restore (e.g. a value the parser accepts but the model refuses). Names are never looked up.
 */
class RestorePlanFuzzTest {
    private final IpvsadmParser parser = new IpvsadmParser("ipvsadm", Resolver.NONE);

    @FuzzTest
    void plan(byte[] input) {
        RestorePlan.plan(input, parser);
    }
}
