package io.checkpointservice.ra.monitoring;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster members this node has seen and whether they are reachable now: a member of the
 * current view is (the cluster's failure detection has not removed it); one that was in an
 * earlier view and is not any more is not, since the moment this node noticed. Fed with the
 * view's members every few seconds and on every read; remembers at most
 * {@link #MAX_UNREACHABLE} departed members, the most recent.
 */
final class MemberReachability {

    static final int MAX_UNREACHABLE = 64;

    private final Map<String, MemberStatus> seen = new LinkedHashMap<>();

    /** @param members the names in the current view */
    synchronized void observe(List<String> members, long nowMillis) {
        for (String member : members) {
            MemberStatus known = seen.get(member);
            if (known == null || !known.isReachable()) {
                seen.remove(member);
                seen.put(member, new MemberStatus(member, true, nowMillis));
            }
        }
        for (Map.Entry<String, MemberStatus> entry : seen.entrySet()) {
            if (entry.getValue().isReachable() && !members.contains(entry.getKey())) {
                entry.setValue(new MemberStatus(entry.getKey(), false, nowMillis));
            }
        }
        long unreachable = seen.values().stream().filter(s -> !s.isReachable()).count();
        for (Iterator<MemberStatus> i = seen.values().iterator(); unreachable > MAX_UNREACHABLE && i.hasNext(); ) {
            if (!i.next().isReachable()) {
                i.remove();
                unreachable--;
            }
        }
    }

    /** @return every member seen, reachable ones first */
    synchronized List<MemberStatus> statuses() {
        List<MemberStatus> all = new ArrayList<>(seen.values());
        all.sort((a, b) -> Boolean.compare(b.isReachable(), a.isReachable()));
        return all;
    }
}
