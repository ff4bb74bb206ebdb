package io.jipvs.control.serve;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.DirectorRole;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.desired.Supervision;
import io.jipvs.control.health.HealthState;
import io.jipvs.model.Destination;
import io.jipvs.model.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table serve wants from the file and the health of its real servers; pure.
 *
 * <ul>
 * <li>A healthy real server has its configured weight, or the weight its dynamic exec check set,
 * ramped up over {@code slowStart} after it came back. A failed one is deleted at once
 * (withdrawn: no drain, nothing alive behind it), or kept at weight 0 with
 * {@code inhibitOnFailure}.</li>
 * <li>{@code depoolThreshold}: at most that share of the service's real servers is out for failed
 * checks; those that failed last stay in ("held").</li>
 * <li>A runtime override (the API's drain and weight) replaces the configured weight, health
 * still deciding whether the server is in; a drain is weight 0: existing connections go on, new
 * ones avoid it.</li>
 * <li>Quorum (keepalived's rule): the sum of the healthy weights; gained at
 * {@code quorum + hysteresis}, lost below {@code quorum - hysteresis} or at 0. While lost, a
 * sorry server, if any, replaces every real server.</li>
 * </ul>
 *
 * @param state     the table wanted
 * @param withdrawn real servers to delete at once if the kernel has them
 * @param quorum    each service's quorum state (true: has quorum)
 * @param held      real servers kept in although failed, for the depool threshold
 * @param ramping   whether some weight is still ramping (look again at the next step)
 */
public record Effective(DesiredState state, Set<Member> withdrawn, Map<ServiceKey, Boolean> quorum, Set<Member> held,
                        boolean ramping) {

    /**
     * The table wanted now.
     *
     * @param file         the file
     * @param health       each checked real server's state; a missing one is healthy
     * @param comeBack     when each ramping real server came back
     * @param quorumBefore each service's quorum state before (a new service starts with quorum)
     * @param now          the time
     * @return the wanted table and what goes with it
     */
    public static Effective of(Supervised file, Map<Member, HealthState.Snapshot> health, Map<Member, Instant> comeBack,
                               Map<ServiceKey, Boolean> quorumBefore, Instant now) {
        return of(file, health, Map.of(), comeBack, quorumBefore, now);
    }

    /**
     * The table wanted now, with runtime weight overrides.
     *
     * @param file         the file
     * @param health       each checked real server's state; a missing one is healthy
     * @param overrides    weights set at run time (0: drained), in place of the configured ones
     * @param comeBack     when each ramping real server came back
     * @param quorumBefore each service's quorum state before (a new service starts with quorum)
     * @param now          the time
     * @return the wanted table and what goes with it
     */
    public static Effective of(Supervised file, Map<Member, HealthState.Snapshot> health, Map<Member, Integer> overrides,
                               Map<Member, Instant> comeBack, Map<ServiceKey, Boolean> quorumBefore, Instant now) {
        return of(file, health, overrides, comeBack, quorumBefore, now, DirectorRole.BACKUP);
    }

    /**
     * The table wanted now, with runtime weight overrides, for a director in a role (which sync
     * daemons run, when the file has a {@code syncDaemon} block).
     *
     * @param file         the file
     * @param health       each checked real server's state; a missing one is healthy
     * @param overrides    weights set at run time (0: drained), in place of the configured ones
     * @param comeBack     when each ramping real server came back
     * @param quorumBefore each service's quorum state before (a new service starts with quorum)
     * @param now          the time
     * @param role         the director's role
     * @return the wanted table and what goes with it
     */
    public static Effective of(Supervised file, Map<Member, HealthState.Snapshot> health, Map<Member, Integer> overrides,
                               Map<Member, Instant> comeBack, Map<ServiceKey, Boolean> quorumBefore, Instant now,
                               DirectorRole role) {
        List<DesiredService> services = new ArrayList<>();
        Set<Member> withdrawn = new HashSet<>();
        Map<ServiceKey, Boolean> quorum = new HashMap<>();
        Set<Member> held = new HashSet<>();
        boolean ramping = false;
        for (DesiredService s : file.state().services()) {
            Supervision sup = file.supervision().get(s.key());
            if (sup == null) {
                List<Destination> wanted = new ArrayList<>();
                for (Destination d : s.realServers()) {
                    Integer o = overrides.get(new Member(s.key(), RealServerKey.of(d)));
                    wanted.add(o == null ? d : d.withWeight(o));
                }
                services.add(new DesiredService(s.name(), s.service(), s.drainTimeout(), wanted, s.snat()));
                quorum.put(s.key(), true);
                continue;
            }
            Map<RealServerKey, Boolean> healthy = new HashMap<>();
            List<Member> down = new ArrayList<>();
            for (Destination d : s.realServers()) {
                Member m = new Member(s.key(), RealServerKey.of(d));
                HealthState.Snapshot h = health.get(m);
                boolean up = h == null || h.status() == HealthState.Status.UP;
                healthy.put(m.realServer(), up);
                if (!up) {
                    down.add(m);
                }
            }
            // The depool threshold: the earliest failures go out, the latest stay in.
            long maxOut = (long) Math.floor(s.realServers().size() * sup.depoolThreshold() + 1e-9);
            down.sort(Comparator.comparing((Member m) -> health.get(m).since()));
            for (int i = (int) Math.min(maxOut, down.size()); i < down.size(); i++) {
                held.add(down.get(i));
                healthy.put(down.get(i).realServer(), true);
            }
            long sum = 0;
            for (Destination d : s.realServers()) {
                Member m = new Member(s.key(), RealServerKey.of(d));
                if (healthy.get(m.realServer()) && !held.contains(m)) {
                    sum += weight(d, health.get(m), overrides.get(m));
                }
            }
            boolean before = quorumBefore.getOrDefault(s.key(), true);
            boolean has = before
                    ? !(sum < sup.quorum() - sup.hysteresis() || (sup.quorum() > 0 && sum == 0))
                    : sum >= sup.quorum() + sup.hysteresis() && !(sup.quorum() > 0 && sum == 0);
            quorum.put(s.key(), has);
            boolean sorry = !has && sup.sorryServer() != null;
            List<Destination> wanted = new ArrayList<>();
            for (Destination d : s.realServers()) {
                Member m = new Member(s.key(), RealServerKey.of(d));
                Supervision.Policy p = sup.realServers().get(m.realServer());
                boolean inhibit = p != null && p.inhibitOnFailure();
                if (sorry || !healthy.get(m.realServer())) {
                    if (inhibit) {
                        wanted.add(d.withWeight(0));
                    } else {
                        withdrawn.add(m);
                    }
                    continue;
                }
                int w = weight(d, health.get(m), overrides.get(m));
                Instant back = comeBack.get(m);
                if (back != null && p != null && !p.slowStart().isZero()) {
                    Duration elapsed = Duration.between(back, now);
                    if (elapsed.compareTo(p.slowStart()) < 0) {
                        w = (int) Math.max(1, Math.ceil(w * (double) elapsed.toMillis() / p.slowStart().toMillis()));
                        w = Math.min(w, weight(d, health.get(m), overrides.get(m)));
                        ramping = true;
                    }
                }
                wanted.add(d.withWeight(w));
            }
            if (sup.sorryServer() != null) {
                if (sorry) {
                    wanted.add(sup.sorryServer());
                } else {
                    withdrawn.add(new Member(s.key(), RealServerKey.of(sup.sorryServer())));
                }
            }
            services.add(new DesiredService(s.name(), s.service(), s.drainTimeout(), wanted, s.snat()));
        }
        DesiredState d = file.stateFor(role);
        return new Effective(new DesiredState(services, d.timeouts(), d.syncDaemons(), d.sysctls()), withdrawn, quorum,
                held, ramping);
    }

    /** The weight a healthy real server has: an override, else its dynamic weight if its check set one. */
    static int weight(Destination d, HealthState.Snapshot h, Integer override) {
        if (override != null) {
            return override;
        }
        return h != null && h.weight().isPresent() ? h.weight().getAsInt() : d.weight();
    }
}
