package dev.sts.role.domain;

import java.util.List;
import java.util.Optional;

/**
 * One page of a simulation's results, one per (action, resource) pair, actions outermost.
 *
 * @param results this page's results
 * @param nextPageToken the token for the next page; empty on the last page
 */
public record SimulationPage(List<SimulationResult> results, Optional<String> nextPageToken) {
    public SimulationPage {
        results = List.copyOf(results);
    }
}
