// Migrators started at once on PostgreSQL, on a set that builds indexes with
// CREATE INDEX CONCURRENTLY outside a transaction (tests/embedded/
// index_migrations): while one of them builds an index, the others wait for
// the migration lock. The index build waits for every transaction that holds
// a snapshot, so a waiter holding one deadlocked with it (issue 17). Shared
// by the CLI's race (tests/e2e) and the embedded API's (tests/embedded).
// Label `long`; STRATA_INDEX_RACE_ROUNDS sets the rounds (default 20).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "postgres.hpp"
#include "process.hpp"

namespace strata::test::index_race {

constexpr int process_count = 8;

// The set's versions and names, in order.
inline const std::vector<std::string> migrations = {"0001_items", "0002_fill_items",
                                                    "0003_index_payload", "0004_index_payload_id",
                                                    "0005_after_indexes"};

inline int rounds() {
    const char* text = std::getenv("STRATA_INDEX_RACE_ROUNDS");
    return text && *text ? std::atoi(text) : 20;
}

inline std::string versions_joined() {
    std::string joined;
    for (const auto& m : migrations)
        joined += (joined.empty() ? "" : ",") + m.substr(0, 4);
    return joined;
}

// One round's outcome: every process succeeded, each migration was reported
// applied by exactly one of them, and the database holds each exactly once.
// Prints how long the fill and the index builds took: the other processes
// waited through all of them.
inline void expect_each_applied_once(const std::vector<process_result>& results,
                                     const postgres_test_database& db, int round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::vector<int> applied_by(migrations.size(), 0);
    for (std::size_t p = 0; p < results.size(); ++p) {
        const auto& r = results[p];
        EXPECT_EQ(r.exit_code, 0) << "process " << p << ": " << r.describe();
        for (std::size_t i = 0; i < migrations.size(); ++i)
            if (r.out.find("applied " + migrations[i] + " ") != std::string::npos)
                ++applied_by[i];
    }
    for (std::size_t i = 0; i < migrations.size(); ++i)
        EXPECT_EQ(applied_by[i], 1) << "processes reporting 'applied " << migrations[i] << "'";
    EXPECT_EQ(db.query_value("SELECT string_agg(version, ',' ORDER BY seq) FROM applied_log"),
              versions_joined())
        << "each migration once, in order";
    EXPECT_EQ(db.query_value("SELECT string_agg(version, ',' ORDER BY version) FROM "
                             "_strata_migrations WHERE state = 'applied'"),
              versions_joined());
    EXPECT_EQ(db.query_value("SELECT count(*) FROM _strata_migrations"),
              std::to_string(migrations.size()));
    EXPECT_EQ(db.query_value("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0")
        << "no index left invalid by a failed build";
    EXPECT_EQ(db.query_value("SELECT count(*) FROM items"), "200000");
    auto took = [&](const char* version) {
        return db.query_value("SELECT execution_ms FROM _strata_migrations WHERE version = '" +
                              std::string(version) + "'") +
               " ms";
    };
    std::cout << "round " << round << ": fill " << took("0002") << ", index builds " << took("0003")
              << " and " << took("0004") << std::endl;
}

}  // namespace strata::test::index_race
