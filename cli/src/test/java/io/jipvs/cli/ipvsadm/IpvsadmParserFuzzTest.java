package io.jipvs.cli.ipvsadm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jipvs.cli.names.Resolver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ipvsadm's command line parser over arbitrary argument vectors. The input is the arguments one
 * per line (UTF-8, empty lines are empty arguments), so that the kept inputs read like command
 * lines. A command line is either accepted or rejected with a {@link UsageException} (ipvsadm's
 * message and status); anything else thrown would reach the operator as a stack trace. Names are
 * never looked up ({@link Resolver#NONE}).
 */
class IpvsadmParserFuzzTest {
    private final IpvsadmParser parser = new IpvsadmParser("ipvsadm", Resolver.NONE);

    @FuzzTest
    void parse(byte[] input) {
        try {
            parser.parse(arguments(input));
        } catch (UsageException rejected) {
            // ipvsadm's own rejection
        }
    }

    private static List<String> arguments(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (args.get(args.size() - 1).isEmpty()) {
            args.remove(args.size() - 1); // after the last line's newline
        }
        return args;
    }
}
