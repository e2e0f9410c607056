// A fixture for end-to-end tests that run once per backend: a scratch
// directory to run strata in and a fresh database on the backend under test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "strata_cli.hpp"
#include "test_database.hpp"

namespace strata::test {

inline backend backend_of(backend b) {
    return b;
}
// Suites parameterized by more than the backend put it first.
template <class... Rest>
backend backend_of(const std::tuple<backend, Rest...>& param) {
    return std::get<0>(param);
}

// The test name suffix: "sqlite", "postgres".
struct backend_name {
    std::string operator()(const ::testing::TestParamInfo<backend>& info) const {
        return to_string(info.param);
    }
};

template <class Param = backend>
class backend_test : public ::testing::TestWithParam<Param> {
  protected:
    explicit backend_test(const std::string& scratch_prefix)
        : dir(scratch_prefix),
          database(make_test_database(backend_of(this->GetParam()), dir.path())) {}

    scratch_directory dir;
    std::unique_ptr<test_database> database;

    // strata ARGS..., with no database named.
    process_result strata(const std::vector<std::string>& args) const {
        return run_strata(dir.path(), args);
    }

    // strata --url URL ARGS..., on the test's database.
    process_result db(const std::vector<std::string>& args) const {
        std::vector<std::string> all = {"--url", database->url()};
        all.insert(all.end(), args.begin(), args.end());
        return run_strata(dir.path(), all);
    }

    nlohmann::json status_json() const {
        auto r = db({"status", "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.describe();
        return nlohmann::json::parse(r.out);
    }

    std::string status_of(const std::string& version) const {
        for (const auto& row : status_json())
            if (row.at("version") == version)
                return row.at("status");
        return "<absent>";
    }
};

// The line of `status` text output that lists `version`.
inline std::string status_line(const std::string& out, const std::string& version) {
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line))
        if (line.find(" " + version + " ") != std::string::npos)
            return line;
    return "<no line for " + version + ">";
}

}  // namespace strata::test
