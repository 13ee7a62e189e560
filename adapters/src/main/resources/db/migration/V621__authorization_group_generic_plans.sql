-- The group compare-and-reserve (accrue_authorization_reserve_group) keeps generic plans for its statements instead of
-- planning them anew at each call (issue 18 point 3).
--
-- PL/pgSQL caches a statement's plan per connection, but for the first five executions, and afterwards whenever the
-- planner's estimate favours it, uses a custom plan made for that call's parameters. The group function's statements
-- take arrays (unnest, a window, array_agg in order), which custom plans estimate from each array's length: each pooled
-- connection settled on its own choice after its first calls, and the benchmark became bimodal — PostgreSQL 0.118 or
-- 0.187–0.189 ms per check between identical runs of BENCH_AUTHORIZE_BATCH=20 bench/run authorize 200000 64 0.
-- Forced generic, two runs each, alternating on the quiet machine (2026-12-02 14:44–14:53): 12,437 and 12,360 checks/s,
-- PostgreSQL 0.127 and 0.129 ms per check, against 8,166 and 8,222 checks/s and 0.207 ms with the planner's choice.
-- A single check never comes here when it is alone (accrue_authorization_reserve_one, V572, whose scalar parameters
-- plan once per connection): V572's finding that a forced generic plan answered ONE check slower still stands there.
ALTER FUNCTION accrue_authorization_reserve_group(text, text[], text[], text[], text[], date[], date[], timestamptz[], numeric[], numeric[],
                                                  text[], numeric[], timestamptz[], timestamptz[])
    SET plan_cache_mode = force_generic_plan;
