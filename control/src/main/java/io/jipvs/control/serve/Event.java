package io.jipvs.control.serve;

import io.jipvs.control.desired.Member;
import io.jipvs.control.reconcile.Change;
import io.jipvs.model.ServiceKey;
import java.time.Instant;

/**
 * One thing serve did or saw: one log line.
 *
 * @param time    when
 * @param kind    what (see {@link Kind})
 * @param service the service it concerns, or null
 * @param member  the real server it concerns, or null
 * @param change  the kernel change it concerns, or null
 * @param detail  the reason or result in words, or null
 */
public record Event(Instant time, Kind kind, ServiceKey service, Member member, Change change, String detail) {

    /** The kinds of event, with the word the log gives each. */
    public enum Kind {
        /** serve started on a file. */
        START("start"),
        /** The first reconcile is done and the checks run: serve is in service. */
        READY("ready"),
        /** The file was read again and is now in force. */
        RELOAD("reload"),
        /** The file was read again and refused; the running state is kept. */
        RELOAD_FAILED("reload-failed"),
        /** A real server's checks passed enough to bring it in. */
        UP("up"),
        /** A real server's checks failed enough to take it out. */
        DOWN("down"),
        /** A failed real server stays in: the depool threshold is reached. */
        HELD("held"),
        /** A dynamic check set a new weight. */
        WEIGHT("weight"),
        /** A service lost its quorum. */
        QUORUM_LOST("quorum-lost"),
        /** A service has its quorum again. */
        QUORUM_GAINED("quorum-gained"),
        /** An operator's runtime override: a drain, an undrain or a weight (the API's). */
        OVERRIDE("override"),
        /** A kernel change made for the file, a health change or a drain. */
        CHANGE("change"),
        /** A kernel change that put back what someone changed behind serve's back. */
        REPAIR("repair"),
        /** A kernel change the kernel refused, or a reconcile that failed. */
        FAILED("failed"),
        /** A hook that failed or timed out. */
        HOOK_FAILED("hook-failed"),
        /** The VRRP engine reported a new role for this director (the sync daemons follow it). */
        ROLE("role"),
        /** serve stopped. */
        STOP("stop");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /**
         * The log's word.
         *
         * @return e.g. "quorum-lost"
         */
        public String word() {
            return word;
        }
    }
}
