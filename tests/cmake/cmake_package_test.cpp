// The CMake package, consumed for real: a small consumer project (the
// fixture in consumer/) is copied into a temporary directory, configured,
// built, run and tested with the real cmake and ctest, with Strata coming
// from an installed package (find_package), add_subdirectory or FetchContent,
// under Ninja and Unix Makefiles. Then the tests break it: a missing down
// script, drift from the snapshot, an SQL error; and watch what an
// incremental build re-runs.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "postgres.hpp"
#include "process.hpp"

namespace fs = std::filesystem;
using strata::test::process_result;
using strata::test::process_spec;
using strata::test::read_file;
using strata::test::run_process;
using strata::test::scratch_directory;
using strata::test::write_file;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const fs::path strata_source_dir = STRATA_SOURCE_DIR;
const fs::path strata_binary_dir = STRATA_BINARY_DIR;
const fs::path fixtures_dir = strata_source_dir / "tests" / "cmake";
const std::string cmake_command = CMAKE_COMMAND;
const std::string ctest_command = CTEST_COMMAND;

constexpr auto build_timeout = std::chrono::seconds(480);

const std::string orders_up = "20250102000000_create_orders.up.sql";
const std::string orders_down = "20250102000000_create_orders.down.sql";
const std::string customers_up = "20250101000000_create_customers.up.sql";

// The environment of every cmake, ctest and build run: nothing inherited
// that changes the generator, the build type, the install destination or
// the messages.
std::map<std::string, std::optional<std::string>> clean_environment() {
    std::map<std::string, std::optional<std::string>> env;
    for (const char* name : {"CMAKE_GENERATOR",
                             "CMAKE_GENERATOR_PLATFORM",
                             "CMAKE_GENERATOR_TOOLSET",
                             "CMAKE_GENERATOR_INSTANCE",
                             "CMAKE_BUILD_TYPE",
                             "CMAKE_CONFIGURATION_TYPES",
                             "CMAKE_TOOLCHAIN_FILE",
                             "CMAKE_PREFIX_PATH",
                             "CMAKE_INSTALL_PREFIX",
                             "DESTDIR",
                             "MAKEFLAGS",
                             "MFLAGS",
                             "MAKELEVEL",
                             "VERBOSE",
                             "CMAKE_BUILD_PARALLEL_LEVEL",
                             "CTEST_PARALLEL_LEVEL",
                             "CTEST_OUTPUT_ON_FAILURE",
                             "NINJA_STATUS",
                             "DATABASE_URL",
                             "NAME",
                             "STRATA_TEST_POSTGRES_URL"})
        env[name] = std::nullopt;
    env["LC_ALL"] = "C";
    return env;
}

process_result run(std::vector<std::string> argv, const fs::path& cwd = {},
                   std::chrono::milliseconds timeout = build_timeout,
                   const std::map<std::string, std::string>& env = {}) {
    process_spec spec;
    spec.argv = std::move(argv);
    spec.env = clean_environment();
    for (const auto& [name, value] : env)
        spec.env[name] = value;
    spec.cwd = cwd;
    spec.timeout = timeout;
    return run_process(spec);
}

// Strata installed from the test's own build tree, once per process.
const fs::path& installed_prefix() {
    static scratch_directory prefix{"strata-cmake-install"};
    static const process_result install =
        run({cmake_command, "--install", strata_binary_dir.string(), "--prefix",
             prefix.path().string()});
    if (install.exit_code != 0)
        throw std::runtime_error("cmake --install of Strata failed: " + install.describe());
    // The tool of this build tree, installed.
    const fs::path tool = prefix.path() / "bin" / "strata";
    if (!fs::exists(tool) || fs::file_size(tool) != fs::file_size(STRATA_EXE))
        throw std::runtime_error("cmake --install did not install " + std::string(STRATA_EXE) +
                                 " as " + tool.string() + ": " + install.describe());
    return prefix.path();
}

std::string safe_test_name(std::string text) {
    for (char& c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return text;
}

// Every test name that `ctest -N` lists.
std::set<std::string> listed_tests(const std::string& ctest_output) {
    std::set<std::string> names;
    const std::regex line(R"(Test +#[0-9]+: +(\S+))");
    for (std::sregex_iterator it(ctest_output.begin(), ctest_output.end(), line), end; it != end;
         ++it)
        names.insert((*it)[1].str());
    return names;
}

// Lines of `text` that contain `needle`.
std::vector<std::string> lines_with(const std::string& text, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos)
            found.push_back(line);
    return found;
}

// What a failed build said, without the build tool's echo of the failed
// command line (Ninja prints it, and it holds the arguments of the Strata
// step, such as the name of the refresh target): only what the tool printed
// can satisfy a test.
std::string messages(const process_result& result) {
    std::string kept;
    std::istringstream in(result.all_output());
    for (std::string line; std::getline(in, line);)
        if (line.find("--snapshot-refresh") == std::string::npos && line.rfind("FAILED: ", 0) != 0)
            kept += line + "\n";
    return kept;
}

// Output with every run of blanks and line breaks made one space: CMake wraps
// the messages it prints at about 80 columns, wherever a word ends.
std::string unwrapped(const std::string& text) {
    std::string flat;
    for (const char c : text) {
        const bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!blank)
            flat += c;
        else if (!flat.empty() && flat.back() != ' ')
            flat += ' ';
    }
    return flat;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos)
        throw std::logic_error("'" + from + "' is not in the text");
    return text.replace(at, from.size(), to);
}

// Build tools compare modification times; a change made within the same
// tick of the file system's clock as the last build's outputs could go
// unseen. Waits until a file written now gets a later time than one written
// at the call (a few milliseconds, or up to a second on a coarse file system).
void let_the_clock_tick() {
    const fs::path probe =
        fs::temp_directory_path() / ("strata-cmake-clock-" + std::to_string(::getpid()));
    write_file(probe, "");
    const auto start = fs::last_write_time(probe);
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        write_file(probe, "");
    } while (fs::last_write_time(probe) <= start);
    fs::remove(probe);
}

void touch(const fs::path& path) {
    fs::last_write_time(path, fs::file_time_type::clock::now());
}

struct consumer_options {
    std::string mode = "find_package";  // or add_subdirectory, FetchContent
    std::string generator = "Ninja";
    std::string source_name = "consumer";  // the directory of the project
    std::string build_name = "consumer-build";
    std::string migrations = "migrations";  // the migration directory, relative
    bool snapshot = true;                   // add_migrations(... SNAPSHOT schema.sql)
    std::vector<std::string> defines;       // more -D arguments of the configure step
};

// A copy of the fixture project in a scratch directory, and its build tree.
// Every custom command of the build goes through a launcher that logs the
// program it runs, so the tests count the Strata commands a build ran.
class consumer_project {
  public:
    explicit consumer_project(consumer_options options = {})
        : options_(std::move(options)),
          source_(scratch_ / options_.source_name),
          build_(scratch_ / options_.build_name),
          migrations_(source_ / options_.migrations),
          log_(scratch_ / "commands.log") {
        fs::copy(fixtures_dir / "consumer", source_, fs::copy_options::recursive);
        if (options_.migrations != "migrations")
            fs::rename(source_ / "migrations", migrations_);
        write_file(scratch_ / "log-command.sh",
                   "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + log_.string() + "'\nexec \"$@\"\n");
    }

    const fs::path& source() const { return source_; }
    const fs::path& build_dir() const { return build_; }
    const fs::path& migrations() const { return migrations_; }
    const fs::path& scratch() const { return scratch_.path(); }
    const std::string& generator() const { return options_.generator; }
    bool ninja() const { return options_.generator == "Ninja"; }

    process_result configure() const {
        std::vector<std::string> argv = {
            cmake_command,
            "-S",
            source_.string(),
            "-B",
            build_.string(),
            "-G",
            options_.generator,
            "-DSTRATA_MODE=" + options_.mode,
            "-DCONSUMER_MIGRATIONS=" + options_.migrations,
            "-DCONSUMER_RULE_LAUNCHER=/bin/sh '" + (scratch_ / "log-command.sh").string() + "'"};
        if (!options_.snapshot)
            argv.push_back("-DCONSUMER_SNAPSHOT=");
        argv.insert(argv.end(), options_.defines.begin(), options_.defines.end());
        if (options_.mode == "find_package")
            argv.push_back("-DCMAKE_PREFIX_PATH=" + installed_prefix().string());
        else
            argv.push_back("-DSTRATA_SOURCE_DIR=" + strata_source_dir.string());
        return run(argv);
    }

    process_result build(const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> argv = {cmake_command, "--build", build_.string(), "--parallel",
                                         "2"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv);
    }

    process_result ctest(const std::vector<std::string>& extra) const {
        std::vector<std::string> argv = {ctest_command, "--test-dir", build_.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv);
    }

    process_result run_program() const {
        return run({(build_ / "shop").string()}, scratch_.path());
    }

    // Configure and build; both must succeed, the program must exist.
    void configure_and_build() const {
        const auto configured = configure();
        ASSERT_EQ(configured.exit_code, 0) << configured.describe();
        const auto built = build();
        ASSERT_EQ(built.exit_code, 0) << built.describe();
        ASSERT_TRUE(fs::exists(build_ / "shop")) << built.describe();
    }

    // How many times a build has run the strata tool, counted from the log of
    // the launcher of custom commands.
    int strata_runs() const {
        if (!fs::exists(log_))
            return 0;
        int runs = 0;
        std::istringstream in(read_file(log_));
        for (std::string program; std::getline(in, program);)
            if (fs::path(program).filename() == "strata")
                ++runs;
        return runs;
    }

    // The generated header, wherever in the build tree the module puts it.
    fs::path header() const {
        for (const auto& entry : fs::recursive_directory_iterator(build_))
            if (entry.path().filename() == "db_schema.hpp" &&
                entry.path().parent_path().filename() == "shop")
                return entry.path();
        return {};
    }

    // The value of a variable in the consumer's CMakeCache.txt.
    std::string cache_value(const std::string& name) const {
        std::istringstream in(read_file(build_ / "CMakeCache.txt"));
        for (std::string line; std::getline(in, line);) {
            if (line.rfind(name + ":", 0) != 0)
                continue;
            const auto eq = line.find('=');
            if (eq != std::string::npos)
                return line.substr(eq + 1);
        }
        return {};
    }

    // `ninja -n -d explain`: what the next build would do, and why.
    process_result ninja_explain() const {
        return run(
            {cache_value("CMAKE_MAKE_PROGRAM"), "-C", build_.string(), "-n", "-d", "explain"});
    }

  private:
    consumer_options options_;
    scratch_directory scratch_{"strata-cmake"};
    fs::path source_;
    fs::path build_;
    fs::path migrations_;
    fs::path log_;
};

// What the program prints from the generated header of the fixture's set.
void expect_program_uses_the_schema(const process_result& program) {
    ASSERT_EQ(program.exit_code, 0) << program.describe();
    EXPECT_THAT(program.out, HasSubstr("tables: customers orders"));
    EXPECT_THAT(program.out, HasSubstr("orders columns: id customer_id total_cents note\n"));
    EXPECT_THAT(program.out, HasSubstr("schema version 20250102000000"));
    EXPECT_THAT(program.out, HasSubstr("order 1 of customer 7: 1250 cents, gift wrap"));
}

// The consumer's tests pass, and they are the only tests there are.
void expect_consumer_tests_pass(const consumer_project& project) {
    const auto tests = project.ctest({"--output-on-failure"});
    EXPECT_EQ(tests.exit_code, 0) << tests.describe();
    EXPECT_THAT(tests.out, HasSubstr("shop_db.up"));
    EXPECT_THAT(tests.out, HasSubstr("shop_db.roundtrip"));
    EXPECT_THAT(tests.out, HasSubstr("100% tests passed, 0 tests failed out of 2"));

    const auto listed = project.ctest({"-N"});
    EXPECT_EQ(listed.exit_code, 0) << listed.describe();
    EXPECT_EQ(listed_tests(listed.out), (std::set<std::string>{"shop_db.roundtrip", "shop_db.up"}))
        << listed.describe();
    const auto labelled = project.ctest({"-N", "-L", "^strata$"});
    EXPECT_EQ(listed_tests(labelled.out),
              (std::set<std::string>{"shop_db.roundtrip", "shop_db.up"}))
        << labelled.describe();
}

const std::vector<std::string> generators = {"Ninja", "Unix Makefiles"};

std::string generator_name(const ::testing::TestParamInfo<std::string>& info) {
    return safe_test_name(info.param);
}

// ---------------------------------------------------------------------------
// 1. Three ways to get Strata, under both generators.

class PackageTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(PackageTest, ConsumerBuildsRunsAndPassesItsTests) {
    const auto& [mode, generator] = GetParam();
    consumer_options options;
    options.mode = mode;
    options.generator = generator;
    const consumer_project project(options);

    const auto configured = project.configure();
    ASSERT_EQ(configured.exit_code, 0) << configured.describe();
    if (mode == "find_package") {
        EXPECT_THAT(configured.out, HasSubstr("consumer: Strata::strata imported=TRUE"));
        EXPECT_EQ(fs::path(project.cache_value("Strata_DIR")),
                  installed_prefix() / "lib" / "cmake" / "Strata");
    } else {
        // Built from source as part of the consumer, not found somewhere.
        EXPECT_THAT(configured.out, HasSubstr("consumer: Strata::strata imported=FALSE"));
        EXPECT_EQ(project.cache_value("Strata_DIR"), "");
    }

    const auto built = project.build();
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    EXPECT_THAT(built.out, HasSubstr("Checking migrations of shop_db"));
    EXPECT_EQ(project.strata_runs(), 1) << read_file(project.scratch() / "commands.log");
    ASSERT_FALSE(project.header().empty()) << "no shop/db_schema.hpp under " << project.build_dir();

    expect_program_uses_the_schema(project.run_program());
    expect_consumer_tests_pass(project);

    // Strata installs nothing of its own into the consumer's install: only
    // the consumer's program is there.
    const scratch_directory prefix{"strata-cmake-consumer-install"};
    const auto installed = run({cmake_command, "--install", project.build_dir().string(),
                                "--prefix", prefix.path().string()});
    ASSERT_EQ(installed.exit_code, 0) << installed.describe();
    std::set<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(prefix.path()))
        if (!entry.is_directory())
            files.insert(fs::relative(entry.path(), prefix.path()).generic_string());
    EXPECT_EQ(files, (std::set<std::string>{"bin/shop"})) << installed.describe();
}

INSTANTIATE_TEST_SUITE_P(
    Modes, PackageTest,
    ::testing::Combine(::testing::Values("find_package", "add_subdirectory", "FetchContent"),
                       ::testing::ValuesIn(generators)),
    [](const ::testing::TestParamInfo<PackageTest::ParamType>& param) {
        return safe_test_name(std::get<0>(param.param) + "_" + std::get<1>(param.param));
    });

// ---------------------------------------------------------------------------
// 2. Builds that must fail, with a message that names the culprit, and pass
// again once it is fixed.

class NegativeBuildTest : public ::testing::TestWithParam<std::string> {
  protected:
    consumer_project project{[this] {
        consumer_options options;
        options.generator = GetParam();
        return options;
    }()};

    void SetUp() override { ASSERT_NO_FATAL_FAILURE(project.configure_and_build()); }

    void expect_build_passes(const std::string& after) {
        const auto built = project.build();
        EXPECT_EQ(built.exit_code, 0) << "after " << after << ":\n" << built.describe();
    }
};

TEST_P(NegativeBuildTest, MissingDownScriptFailsTheBuildNamingTheMigration) {
    const fs::path down = project.migrations() / orders_down;
    const std::string saved = read_file(down);
    let_the_clock_tick();
    fs::remove(down);

    const auto built = project.build();
    EXPECT_NE(built.exit_code, 0) << built.describe();
    EXPECT_THAT(messages(built), HasSubstr("20250102000000_create_orders"));
    EXPECT_THAT(messages(built), HasSubstr("down"));

    write_file(down, saved);
    expect_build_passes("restoring the down script");

    // A down script without a statement counts as missing.
    let_the_clock_tick();
    write_file(down, "-- nothing to undo\n\n");
    const auto empty = project.build();
    EXPECT_NE(empty.exit_code, 0) << empty.describe();
    EXPECT_THAT(messages(empty), HasSubstr("20250102000000_create_orders"));

    write_file(down, saved);
    expect_build_passes("restoring the down script");
}

TEST_P(NegativeBuildTest, DriftFromTheSnapshotFailsWithTheDiffAndTheRefreshTarget) {
    const fs::path up = project.migrations() / orders_up;
    const std::string original = read_file(up);
    const std::string changed = replace_once(original, "    note        TEXT\n",
                                             "    note        TEXT,\n    discount_cents INTEGER\n");
    const std::string snapshot = read_file(project.source() / "schema.sql");
    let_the_clock_tick();
    write_file(up, changed);

    const auto built = project.build();
    EXPECT_NE(built.exit_code, 0) << built.describe();
    EXPECT_THAT(messages(built), HasSubstr("discount_cents"));    // the diff
    EXPECT_THAT(messages(built), HasSubstr("shop_db_snapshot"));  // how to accept it
    EXPECT_EQ(read_file(project.source() / "schema.sql"), snapshot);

    let_the_clock_tick();
    write_file(up, original);
    expect_build_passes("restoring the migration");

    // Accepting the change instead: <t>_snapshot rewrites the snapshot.
    let_the_clock_tick();
    write_file(up, changed);
    const auto refreshed = project.build({"--target", "shop_db_snapshot"});
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.describe();
    EXPECT_THAT(read_file(project.source() / "schema.sql"), HasSubstr("discount_cents"));
    expect_build_passes("shop_db_snapshot");
    EXPECT_THAT(read_file(project.header()), HasSubstr("discount_cents"));
    const auto program = project.run_program();
    EXPECT_THAT(program.out,
                HasSubstr("orders columns: id customer_id total_cents note discount_cents\n"))
        << program.describe();
}

TEST_P(NegativeBuildTest, SqlErrorFailsWithFileLineAndSqliteMessage) {
    const fs::path up = project.migrations() / orders_up;
    const std::string original = read_file(up);
    // Line 8 of the file creates the index; make it name a table that does
    // not exist.
    const std::string broken =
        replace_once(original, "ON orders (customer_id)", "ON orderz (customer_id)");
    let_the_clock_tick();
    write_file(up, broken);

    const auto built = project.build();
    EXPECT_NE(built.exit_code, 0) << built.describe();
    EXPECT_THAT(messages(built), HasSubstr(orders_up + ":8"));
    EXPECT_THAT(messages(built), HasSubstr("no such table"));  // SQLite's own message
    EXPECT_THAT(messages(built), HasSubstr("orderz"));

    let_the_clock_tick();
    write_file(up, original);
    expect_build_passes("fixing the SQL");
}

INSTANTIATE_TEST_SUITE_P(Generators, NegativeBuildTest, ::testing::ValuesIn(generators),
                         generator_name);

// ---------------------------------------------------------------------------
// 2b. Checked queries: verify_schema(... QUERIES queries.sql).

class QueriesBuildTest : public ::testing::TestWithParam<std::string> {
  protected:
    consumer_project project{[this] {
        consumer_options options;
        options.generator = GetParam();
        options.snapshot = false;  // a dropped column must fail for the query alone
        options.defines = {"-DCONSUMER_QUERIES=queries.sql"};
        return options;
    }()};
};

TEST_P(QueriesBuildTest, DroppedColumnUsedByAQueryFailsTheBuildUntilRestored) {
    // main.cpp checks the query's row type when CONSUMER_QUERIES is set.
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());
    expect_program_uses_the_schema(project.run_program());
    const auto tests = project.ctest({"-R", "^shop_db[.]queries$", "--output-on-failure"});
    EXPECT_EQ(tests.exit_code, 0) << tests.describe();
    EXPECT_THAT(tests.out, HasSubstr("0 tests failed out of 1")) << tests.describe();

    const fs::path up = project.migrations() / "20250103000000_drop_note.up.sql";
    const fs::path down = project.migrations() / "20250103000000_drop_note.down.sql";
    let_the_clock_tick();
    write_file(up, "ALTER TABLE orders DROP COLUMN note;\n");
    write_file(down, "ALTER TABLE orders ADD COLUMN note TEXT;\n");
    const auto broken = project.build();
    EXPECT_NE(broken.exit_code, 0) << broken.describe();
    EXPECT_THAT(messages(broken),
                HasSubstr("queries.sql:3: error: query orders_of_customer: no such column: o.note"))
        << broken.describe();

    let_the_clock_tick();
    fs::remove(up);
    fs::remove(down);
    const auto restored = project.build();
    EXPECT_EQ(restored.exit_code, 0) << restored.describe();
    expect_program_uses_the_schema(project.run_program());

    // Editing the query file alone re-runs the check.
    let_the_clock_tick();
    write_file(project.source() / "queries.sql",
               "-- name: orders_of_customer\nSELECT o.id, o.theme FROM orders o\n");
    const auto edited = project.build();
    EXPECT_NE(edited.exit_code, 0) << edited.describe();
    EXPECT_THAT(messages(edited), HasSubstr("queries.sql:2: error: query orders_of_customer: no "
                                            "such column: o.theme"));
}

INSTANTIATE_TEST_SUITE_P(Generators, QueriesBuildTest, ::testing::ValuesIn(generators),
                         generator_name);

// ---------------------------------------------------------------------------
// 3. Incremental builds: exact dependencies, nothing recompiled for nothing.

class IncrementalBuildTest : public ::testing::TestWithParam<std::string> {
  protected:
    consumer_options options(bool snapshot = true) const {
        consumer_options o;
        o.generator = GetParam();
        o.snapshot = snapshot;
        return o;
    }
};

// A build with nothing changed: no Strata command, nothing rebuilt.
void expect_nothing_to_do(const consumer_project& project, int strata_runs_before) {
    const fs::path header = project.header();
    const auto header_time = fs::last_write_time(header);
    const auto program_time = fs::last_write_time(project.build_dir() / "shop");

    const auto again = project.build();
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_EQ(project.strata_runs(), strata_runs_before) << again.describe();
    EXPECT_THAT(again.out, Not(HasSubstr("Checking migrations")));
    EXPECT_THAT(again.out, Not(HasSubstr("Building CXX")));
    EXPECT_THAT(again.out, Not(HasSubstr("Linking")));
    EXPECT_EQ(fs::last_write_time(header), header_time);
    EXPECT_EQ(fs::last_write_time(project.build_dir() / "shop"), program_time);
    if (project.ninja()) {
        EXPECT_THAT(again.out, HasSubstr("ninja: no work to do"));
        const auto explain = project.ninja_explain();
        EXPECT_EQ(explain.exit_code, 0) << explain.describe();
        EXPECT_THAT(explain.out, HasSubstr("no work to do")) << explain.describe();
        EXPECT_THAT(lines_with(explain.all_output(), "ninja explain:"), ::testing::IsEmpty())
            << explain.describe();
    }
}

TEST_P(IncrementalBuildTest, SecondBuildWithNothingChangedRunsNoStrataCommand) {
    const consumer_project project(options());
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());
    ASSERT_EQ(project.strata_runs(), 1);
    let_the_clock_tick();
    expect_nothing_to_do(project, 1);
}

// CMake < 3.20 leaves CMP0116 OLD, under which Ninja would find the check's
// depfile naming its output in another spelling and run the check every time.
TEST_P(IncrementalBuildTest, ProjectAskingForAnOlderCMakeRunsNoStrataCommandTwice) {
    const consumer_project project(options());
    const fs::path lists = project.source() / "CMakeLists.txt";
    std::string text = read_file(lists);
    const std::string required = "cmake_minimum_required(VERSION 3.21)";
    ASSERT_NE(text.find(required), std::string::npos);
    text.replace(text.find(required), required.size(), "cmake_minimum_required(VERSION 3.16)");
    write_file(lists, text);
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());
    ASSERT_EQ(project.strata_runs(), 1);
    let_the_clock_tick();
    expect_nothing_to_do(project, 1);
}

TEST_P(IncrementalBuildTest, TouchedMigrationIsCheckedAgainButRecompilesNothing) {
    const consumer_project project(options());
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());
    const fs::path header = project.header();
    const auto header_time = fs::last_write_time(header);
    const auto program_time = fs::last_write_time(project.build_dir() / "shop");

    let_the_clock_tick();
    touch(project.migrations() / customers_up);
    const auto built = project.build();
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    EXPECT_EQ(project.strata_runs(), 2) << built.describe();
    EXPECT_THAT(built.out, HasSubstr("Checking migrations of shop_db"));
    EXPECT_THAT(built.out, Not(HasSubstr("main.cpp.o")));
    EXPECT_THAT(built.out, Not(HasSubstr("Building CXX")));
    EXPECT_THAT(built.out, Not(HasSubstr("Linking")));
    EXPECT_EQ(fs::last_write_time(header), header_time);
    EXPECT_EQ(fs::last_write_time(project.build_dir() / "shop"), program_time);

    // The same again: once checked, the touched file is up to date.
    let_the_clock_tick();
    expect_nothing_to_do(project, 2);

    // An edit that keeps the schema (a comment) is checked too.
    let_the_clock_tick();
    const fs::path down = project.migrations() / orders_down;
    write_file(down, "-- undo the orders table\n" + read_file(down));
    const auto edited = project.build();
    ASSERT_EQ(edited.exit_code, 0) << edited.describe();
    EXPECT_EQ(project.strata_runs(), 3) << edited.describe();
    EXPECT_THAT(edited.out, Not(HasSubstr("Building CXX")));
    EXPECT_EQ(fs::last_write_time(header), header_time);
}

TEST_P(IncrementalBuildTest, NewMigrationFileIsPickedUpByTheNextBuildAlone) {
    const consumer_project project(options(/*snapshot=*/false));
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());
    ASSERT_THAT(read_file(project.header()), Not(HasSubstr("tags")));

    let_the_clock_tick();
    write_file(
        project.migrations() / "20250103000000_create_tags.up.sql",
        "CREATE TABLE tags (\n    id    INTEGER PRIMARY KEY,\n    label TEXT NOT NULL\n);\n");
    write_file(project.migrations() / "20250103000000_create_tags.down.sql", "DROP TABLE tags;\n");

    const auto built = project.build();
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    EXPECT_THAT(built.out, Not(HasSubstr("Re-running CMake")));
    EXPECT_THAT(built.out, Not(HasSubstr("Configuring done")));
    EXPECT_EQ(project.strata_runs(), 2) << built.describe();
    const std::string header = read_file(project.header());
    EXPECT_THAT(header, HasSubstr("namespace tags"));
    EXPECT_THAT(header, HasSubstr("\"label\""));
    EXPECT_THAT(header, HasSubstr("20250103000000"));  // the schema version
    EXPECT_THAT(project.run_program().out, HasSubstr("schema version 20250103000000"));

    // And one with a mistake is noticed the same way.
    let_the_clock_tick();
    write_file(project.migrations() / "20250104000000_create_labels.up.sql",
               "CREATE TABLE labels (id INTEGER PRIMARY KEY);\n");
    const auto missing_down = project.build();
    EXPECT_NE(missing_down.exit_code, 0) << missing_down.describe();
    EXPECT_THAT(messages(missing_down), HasSubstr("20250104000000_create_labels"));
}

TEST_P(IncrementalBuildTest, NewMigrationFileIsCheckedAgainstTheSnapshotWithoutReconfigure) {
    const consumer_project project(options());
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());

    let_the_clock_tick();
    write_file(
        project.migrations() / "20250103000000_create_tags.up.sql",
        "CREATE TABLE tags (\n    id    INTEGER PRIMARY KEY,\n    label TEXT NOT NULL\n);\n");
    write_file(project.migrations() / "20250103000000_create_tags.down.sql", "DROP TABLE tags;\n");

    // The snapshot did not change: only the new file can have made the
    // check run, and it finds the new table.
    const auto built = project.build();
    EXPECT_NE(built.exit_code, 0) << built.describe();
    EXPECT_THAT(built.out, Not(HasSubstr("Re-running CMake")));
    EXPECT_THAT(messages(built), HasSubstr("tags"));
    EXPECT_THAT(messages(built), HasSubstr("shop_db_snapshot"));

    const auto refreshed = project.build({"--target", "shop_db_snapshot"});
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.describe();
    const auto rebuilt = project.build();
    ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.describe();
    EXPECT_THAT(read_file(project.header()), HasSubstr("namespace tags"));
}

INSTANTIATE_TEST_SUITE_P(Generators, IncrementalBuildTest, ::testing::ValuesIn(generators),
                         generator_name);

// ---------------------------------------------------------------------------
// 4. Spaces in the paths: the project in "my app", its build tree in
// "my app build", the migrations in "db migrations".

class SpacesTest : public ::testing::TestWithParam<std::string> {
  protected:
    consumer_project project{[this] {
        consumer_options options;
        options.generator = GetParam();
        options.source_name = "my app";
        options.build_name = "my app build";
        options.migrations = "db migrations";
        return options;
    }()};
};

TEST_P(SpacesTest, ConsumerWithSpacesInItsPathsBuildsTestsAndRebuildsExactly) {
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());
    EXPECT_EQ(project.strata_runs(), 1);
    expect_program_uses_the_schema(project.run_program());
    expect_consumer_tests_pass(project);

    let_the_clock_tick();
    expect_nothing_to_do(project, 1);

    // The depfile names files under paths with spaces: a touched file and a
    // new file are both seen.
    let_the_clock_tick();
    touch(project.migrations() / customers_up);
    const auto touched = project.build();
    ASSERT_EQ(touched.exit_code, 0) << touched.describe();
    EXPECT_EQ(project.strata_runs(), 2) << touched.describe();
    EXPECT_THAT(touched.out, Not(HasSubstr("Building CXX")));

    let_the_clock_tick();
    write_file(project.migrations() / "20250103000000_create_tags.up.sql",
               "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);\n");
    write_file(project.migrations() / "20250103000000_create_tags.down.sql", "DROP TABLE tags;\n");
    const auto added = project.build();
    EXPECT_NE(added.exit_code, 0) << added.describe();  // drift from the snapshot
    EXPECT_EQ(project.strata_runs(), 3) << added.describe();
    EXPECT_THAT(messages(added), HasSubstr("tags"));

    const auto refreshed = project.build({"--target", "shop_db_snapshot"});
    ASSERT_EQ(refreshed.exit_code, 0) << refreshed.describe();
    EXPECT_THAT(read_file(project.source() / "schema.sql"), HasSubstr("CREATE TABLE tags"));
    const auto rebuilt = project.build();
    ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.describe();
    EXPECT_THAT(read_file(project.header()), HasSubstr("namespace tags"));
}

// The drift message shows the command that refreshes the snapshot; pasted
// into a shell, it must work even when the build tree's path has spaces.
TEST_P(SpacesTest, DriftMessageShowsARefreshCommandThatWorks) {
    ASSERT_NO_FATAL_FAILURE(project.configure_and_build());
    const fs::path up = project.migrations() / orders_up;
    let_the_clock_tick();
    write_file(up, replace_once(read_file(up), "    note        TEXT\n",
                                "    note        TEXT,\n    discount_cents INTEGER\n"));
    const auto built = project.build();
    ASSERT_NE(built.exit_code, 0) << built.describe();

    // The shown command: from "cmake" to the end of the line that names the
    // refresh target, outside of the build tool's own echo of the command.
    std::string command;
    for (const auto& line : lines_with(built.all_output(), "shop_db_snapshot")) {
        if (line.find("--snapshot-refresh") != std::string::npos)
            continue;  // Ninja's echo of the failed command line
        const auto at = line.find("cmake --build");
        if (at != std::string::npos)
            command = line.substr(at);
    }
    ASSERT_FALSE(command.empty()) << "no refresh command in:\n" << built.describe();

    process_spec spec;
    spec.argv = {"/bin/sh", "-c", command};
    spec.env = clean_environment();
    spec.env["PATH"] = fs::path(cmake_command).parent_path().string() + ":/usr/bin:/bin";
    spec.cwd = project.scratch();
    spec.timeout = build_timeout;
    const auto refreshed = run_process(spec);
    ASSERT_EQ(refreshed.exit_code, 0) << "the command shown: " << command << "\n"
                                      << refreshed.describe();
    EXPECT_THAT(read_file(project.source() / "schema.sql"), HasSubstr("discount_cents"));
    const auto rebuilt = project.build();
    EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.describe();
}

INSTANTIATE_TEST_SUITE_P(Generators, SpacesTest, ::testing::ValuesIn(generators), generator_name);

// ---------------------------------------------------------------------------
// Two migration sets in one project, one with a SNAPSHOT whose path the
// project keeps in a variable named `snapshot`, one without: each set is
// checked against its own snapshot only, and only the set with a snapshot
// has a <t>_snapshot target (which would otherwise overwrite the other
// set's snapshot with its own schema).

TEST(TwoSetsTest, SetWithoutSnapshotIsNotTiedToAnotherSetsSnapshot) {
    const scratch_directory scratch{"strata-cmake-two-sets"};
    const fs::path source = scratch / "project";
    const fs::path build = scratch / "build";
    fs::copy(fixtures_dir / "two_sets", source, fs::copy_options::recursive);
    const std::string snapshot = read_file(source / "schema.sql");

    const auto configured = run({cmake_command, "-S", source.string(), "-B", build.string(), "-G",
                                 "Ninja", "-DCMAKE_PREFIX_PATH=" + installed_prefix().string()});
    ASSERT_EQ(configured.exit_code, 0) << configured.describe();
    const auto built = run({cmake_command, "--build", build.string()});
    EXPECT_EQ(built.exit_code, 0) << built.describe();
    const auto program = run({(build / "two_sets").string()});
    EXPECT_EQ(program.out, "customers events\n") << program.describe();

    const auto listed = run({ctest_command, "--test-dir", build.string(), "-N"});
    EXPECT_EQ(listed_tests(listed.out), (std::set<std::string>{"audit_db.roundtrip", "audit_db.up",
                                                               "shop_db.roundtrip", "shop_db.up"}))
        << listed.describe();

    // audit_db has no snapshot: whether or not a target by this name exists,
    // it must not write shop_db's.
    const auto audit_refresh =
        run({cmake_command, "--build", build.string(), "--target", "audit_db_snapshot"});
    EXPECT_EQ(read_file(source / "schema.sql"), snapshot) << audit_refresh.describe();
    const auto rebuilt = run({cmake_command, "--build", build.string()});
    EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.describe();
}

// ---------------------------------------------------------------------------
// The helper targets and the drift test, against a live SQLite database.

TEST(HelperTargetsTest, NewMigrateStatusRevertAndDriftAgainstALiveDatabase) {
    const scratch_directory live{"strata-cmake-live"};
    const std::string url = "sqlite:" + (live / "live.db").string();
    consumer_options options;
    options.defines = {"-DCONSUMER_DATABASE_URL=" + url};
    const consumer_project project(options);
    project.configure_and_build();
    auto target = [&](const std::string& name, const std::map<std::string, std::string>& env) {
        return run({cmake_command, "--build", project.build_dir().string(), "--target", name}, {},
                   build_timeout, env);
    };

    const auto migrated = target("shop_db_migrate", {{"DATABASE_URL", url}});
    ASSERT_EQ(migrated.exit_code, 0) << migrated.describe();
    EXPECT_THAT(migrated.out, HasSubstr("applied 20250101000000_create_customers"));
    EXPECT_THAT(migrated.out, HasSubstr("applied 20250102000000_create_orders"));

    const auto status = target("shop_db_status", {{"DATABASE_URL", url}});
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    EXPECT_THAT(status.out, HasSubstr("2 applied, 0 pending"));

    // The drift test passes on the migrated database and fails, naming the
    // column, once someone adds one by hand.
    const auto clean = project.ctest({"-R", "^shop_db\\.drift$", "--output-on-failure"});
    EXPECT_EQ(clean.exit_code, 0) << clean.describe();
    EXPECT_THAT(clean.out, HasSubstr("shop_db.drift ....")) << clean.describe();
    {
        SQLite::Database db((live / "live.db").string(), SQLite::OPEN_READWRITE);
        db.exec("ALTER TABLE customers ADD COLUMN nickname TEXT");
    }
    const auto drifted = project.ctest({"-R", "^shop_db\\.drift$", "--output-on-failure"});
    EXPECT_NE(drifted.exit_code, 0) << drifted.describe();
    EXPECT_THAT(drifted.out, HasSubstr("column nickname: added nickname TEXT"))
        << drifted.describe();

    const auto reverted = target("shop_db_revert", {{"DATABASE_URL", url}});
    ASSERT_EQ(reverted.exit_code, 0) << reverted.describe();
    EXPECT_THAT(reverted.out, HasSubstr("reverted 20250102000000_create_orders"));

    const auto unnamed = target("shop_db_new", {});
    EXPECT_NE(unnamed.exit_code, 0) << unnamed.describe();
    EXPECT_THAT(unnamed.all_output(), HasSubstr("name the migration"));
    const auto created = target("shop_db_new", {{"NAME", "add_tags"}});
    ASSERT_EQ(created.exit_code, 0) << created.describe();
    int files = 0;
    for (const auto& entry : fs::directory_iterator(project.migrations()))
        files += entry.path().filename().string().find("_add_tags.") != std::string::npos;
    EXPECT_EQ(files, 2) << created.describe();  // the set's own layout: .up.sql and .down.sql
}

// ---------------------------------------------------------------------------
// PostgreSQL: the build-time checks and the header from a scratch database on
// the test server, the CTest round trip on both backends, the portability
// test, and the drift test against a live PostgreSQL database. The password
// of the server's URL shows up in no build file, log or output.

TEST(PostgresConsumerTest, BuildsFromPostgresAndRunsEveryTestOnBothBackends) {
    const strata::test::postgres_test_database live("cmake_live");
    const std::string server = strata::test::postgres_server_url();
    const std::string password = "strata-test";
    ASSERT_THAT(server, HasSubstr(":" + password + "@"));
    consumer_options options;
    options.snapshot = false;  // the fixture's snapshot is SQLite's dump
    options.defines = {"-DCONSUMER_BACKEND=postgres", "-DCONSUMER_VERIFY_BACKENDS=sqlite;postgres",
                       "-DCONSUMER_POSTGRES_URL=" + server,
                       "-DCONSUMER_DATABASE_URL=" + live.url()};
    const consumer_project project(options);
    project.configure_and_build();
    // PostgreSQL's types: `integer` is 32 bits there.
    EXPECT_THAT(read_file(project.header()), HasSubstr("using value_type = ::std::int32_t;"));
    expect_program_uses_the_schema(project.run_program());

    auto target = [&](const std::string& name) {
        return run({cmake_command, "--build", project.build_dir().string(), "--target", name}, {},
                   build_timeout, {{"DATABASE_URL", live.url()}});
    };
    const auto migrated = target("shop_db_migrate");
    ASSERT_EQ(migrated.exit_code, 0) << migrated.describe();
    EXPECT_THAT(migrated.out, HasSubstr("applied 20250102000000_create_orders"));

    const auto tests = project.ctest({"--output-on-failure"});
    EXPECT_EQ(tests.exit_code, 0) << tests.describe();
    EXPECT_THAT(tests.out, HasSubstr("100% tests passed, 0 tests failed out of 5"));
    const auto listed = project.ctest({"-N"});
    EXPECT_EQ(
        listed_tests(listed.out),
        (std::set<std::string>{"shop_db.up", "shop_db.roundtrip", "shop_db.postgres.roundtrip",
                               "shop_db.portability", "shop_db.drift"}))
        << listed.describe();

    live.exec("ALTER TABLE customers ADD COLUMN nickname text");
    const auto drifted = project.ctest({"-R", "^shop_db\\.drift$", "--output-on-failure"});
    EXPECT_NE(drifted.exit_code, 0) << drifted.describe();
    EXPECT_THAT(drifted.out, HasSubstr("column nickname: added nickname text"))
        << drifted.describe();

    // A migration that only PostgreSQL rejects breaks the build, naming it.
    write_file(project.migrations() / "20250103000000_events.up.sql",
               "CREATE TABLE events (id INTEGER PRIMARY KEY, at DATETIME);\n");
    write_file(project.migrations() / "20250103000000_events.down.sql", "DROP TABLE events;\n");
    const auto broken = project.build({"--verbose"});
    EXPECT_NE(broken.exit_code, 0) << broken.describe();
    EXPECT_THAT(broken.all_output(),
                HasSubstr("20250103000000_events.up.sql:1: error: migration "
                          "20250103000000_events failed, rolled back: type \"datetime\" does not "
                          "exist (SQLSTATE 42704)"))
        << broken.describe();

    // Nothing that the build or CTest wrote or printed holds the password:
    // the URLs travel in files of their own.
    for (const auto* r : {&migrated, &tests, &drifted, &broken})
        EXPECT_THAT(r->all_output(), Not(HasSubstr(password)));
    for (const auto& entry : fs::recursive_directory_iterator(project.build_dir())) {
        const auto name = entry.path().filename().string();
        if (!entry.is_regular_file() || name == "CMakeCache.txt" ||
            entry.path().extension() == ".url")
            continue;
        EXPECT_THAT(read_file(entry.path()), Not(HasSubstr(password))) << entry.path();
    }
}

// ---------------------------------------------------------------------------
// Strata::sqlite: an application (the fixture in runtime_consumer/) links
// the engine's SQLite backend and migrates a database itself, with Strata
// from an installed package (find_package, with and without COMPONENTS),
// add_subdirectory or FetchContent. Then what find_package(Strata) looks for,
// by component, when cross-compiling and when a dependency is missing.

struct runtime_case {
    std::string name;
    std::string mode;        // STRATA_MODE of the fixture
    std::string components;  // STRATA_COMPONENTS, for find_package
    std::string generator;
};

void PrintTo(const runtime_case& c, std::ostream* out) {
    *out << c.name;
}

// A copy of runtime_consumer/ in a scratch directory, and its build tree.
class runtime_consumer {
  public:
    explicit runtime_consumer(std::string mode = "find_package", std::string generator = "Ninja")
        : mode_(std::move(mode)), generator_(std::move(generator)) {
        fs::copy(fixtures_dir / "runtime_consumer", source_, fs::copy_options::recursive);
    }

    const fs::path& build_dir() const { return build_; }

    process_result configure(const std::vector<std::string>& defines = {},
                             const std::map<std::string, std::string>& env = {}) const {
        std::vector<std::string> argv = {
            cmake_command,   "-S", source_.string(), "-B",
            build_.string(), "-G", generator_,       "-DSTRATA_MODE=" + mode_};
        argv.insert(argv.end(), defines.begin(), defines.end());
        if (mode_ == "find_package")
            argv.push_back("-DCMAKE_PREFIX_PATH=" + installed_prefix().string());
        else
            argv.push_back("-DSTRATA_SOURCE_DIR=" + strata_source_dir.string());
        return run(argv, {}, build_timeout, env);
    }

    process_result build() const {
        return run({cmake_command, "--build", build_.string(), "--parallel", "2"});
    }

    process_result migrate(const fs::path& migrations) const {
        return run({(build_ / "migrate_app").string(), migrations.string()}, scratch_.path());
    }

    // Whether the configure step left `name` in the consumer's cache (a
    // package it looked for).
    bool cached(const std::string& name) const {
        std::istringstream in(read_file(build_ / "CMakeCache.txt"));
        for (std::string line; std::getline(in, line);)
            if (line.rfind(name + ":", 0) == 0)
                return true;
        return false;
    }

    const fs::path& scratch() const { return scratch_.path(); }

  private:
    std::string mode_;
    std::string generator_;
    scratch_directory scratch_{"strata-cmake-runtime"};
    fs::path source_ = scratch_ / "app";
    fs::path build_ = scratch_ / "app-build";
};

// What migrate_app prints for the consumer fixture's two migrations.
const std::string migrated_fixture_set =
    "applied 20250101000000 create_customers\n"
    "applied 20250102000000 create_orders\n"
    "tables: _strata_migrations customers orders\n"
    "pending after up: 0\n"
    "20250101000000 applied\n"
    "20250102000000 applied\n";

class RuntimeConsumerTest : public ::testing::TestWithParam<runtime_case> {};

TEST_P(RuntimeConsumerTest, ApplicationLinksTheEngineAndMigratesADatabase) {
    const runtime_case& c = GetParam();
    const runtime_consumer app(c.mode, c.generator);

    std::vector<std::string> defines;
    if (!c.components.empty())
        defines.push_back("-DSTRATA_COMPONENTS=" + c.components);
    const auto configured = app.configure(defines);
    ASSERT_EQ(configured.exit_code, 0) << configured.describe();
    EXPECT_THAT(configured.out,
                HasSubstr(std::string("runtime_consumer: Strata::runtime imported=") +
                          (c.mode == "find_package" ? "TRUE" : "FALSE")))
        << configured.describe();

    // The fixture asks for C++11 and includes only Strata's headers and
    // SQLiteCpp's: C++17, the include directories and the libraries all come
    // with Strata::runtime.
    const auto built = app.build();
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    ASSERT_TRUE(fs::exists(app.build_dir() / "migrate_app")) << built.describe();

    const auto migrated = app.migrate(fixtures_dir / "consumer" / "migrations");
    ASSERT_EQ(migrated.exit_code, 0) << migrated.describe();
    EXPECT_EQ(migrated.out, migrated_fixture_set) << migrated.describe();

    // A failing migration surfaces as strata::migration_error with its file,
    // line and SQLite's own message.
    const fs::path broken = app.scratch() / "broken migrations";
    fs::copy(fixtures_dir / "consumer" / "migrations", broken);
    write_file(broken / orders_up,
               replace_once(read_file(broken / orders_up), "ON orders (customer_id)",
                            "ON orderz (customer_id)"));
    const auto failed = app.migrate(broken);
    EXPECT_EQ(failed.exit_code, 1) << failed.describe();
    EXPECT_THAT(failed.err, HasSubstr(orders_up + ":8: error:")) << failed.describe();
    EXPECT_THAT(failed.err, HasSubstr("no such table: main.orderz")) << failed.describe();

    // Linking Strata::runtime installs nothing of Strata's into the
    // application's install.
    const scratch_directory prefix{"strata-cmake-runtime-install"};
    const auto installed = run(
        {cmake_command, "--install", app.build_dir().string(), "--prefix", prefix.path().string()});
    ASSERT_EQ(installed.exit_code, 0) << installed.describe();
    std::set<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(prefix.path()))
        if (!entry.is_directory())
            files.insert(fs::relative(entry.path(), prefix.path()).generic_string());
    EXPECT_EQ(files, (std::set<std::string>{"bin/migrate_app"})) << installed.describe();
}

INSTANTIATE_TEST_SUITE_P(
    Modes, RuntimeConsumerTest,
    ::testing::Values(
        runtime_case{"find_package_Ninja", "find_package", "", "Ninja"},
        runtime_case{"find_package_runtime_component_Ninja", "find_package", "runtime;sqlite",
                     "Ninja"},
        runtime_case{"find_package_sqlite_component_Ninja", "find_package", "sqlite", "Ninja"},
        runtime_case{"find_package_Unix_Makefiles", "find_package", "", "Unix Makefiles"},
        runtime_case{"add_subdirectory_Ninja", "add_subdirectory", "", "Ninja"},
        runtime_case{"FetchContent_Unix_Makefiles", "FetchContent", "", "Unix Makefiles"}),
    [](const ::testing::TestParamInfo<runtime_case>& param) { return param.param.name; });

// The installed libraries: one per component, the public headers only, and
// exports that name no part of Strata's build tree (its warnings, its source
// paths). The runtime's names no database driver; each backend's, its own.
TEST(RuntimePackageTest, InstallsTheLibrariesTheirPublicHeadersAndCleanExports) {
    const fs::path& prefix = installed_prefix();
    for (const char* library :
         {"libstrata_runtime.a", "libstrata_sqlite.a", "libstrata_postgres.a"})
        EXPECT_TRUE(fs::exists(prefix / "lib" / library)) << library;
    EXPECT_FALSE(fs::exists(prefix / "lib" / "libstrata_tooling.a"));
    for (const char* header : {"migrator.hpp", "migration_set.hpp", "migration_version.hpp",
                               "version.hpp", "embedded.hpp", "error.hpp", "sqlite/database.hpp",
                               "sqlite/embedded.hpp", "sqlite/query.hpp", "postgres/database.hpp",
                               "postgres/embedded.hpp", "postgres/query.hpp"})
        EXPECT_TRUE(fs::exists(prefix / "include" / "strata" / header)) << header;
    // The engine's internal headers and the tooling's stay in src/.
    for (const char* internal : {"file_lock.hpp", "scratch.hpp", "checks.hpp", "header.hpp",
                                 "sql_text.hpp", "text.hpp", "engine", "tooling", "sql"})
        EXPECT_FALSE(fs::exists(prefix / "include" / "strata" / internal)) << internal;
    EXPECT_FALSE(fs::exists(prefix / "include" / "file_lock.hpp"));
    EXPECT_THAT(read_file(prefix / "include" / "strata" / "version.hpp"),
                HasSubstr("#define STRATA_VERSION_STRING \"0."));

    const fs::path config = prefix / "lib" / "cmake" / "Strata";
    const std::string runtime = read_file(config / "StrataRuntimeTargets.cmake");
    EXPECT_THAT(runtime, HasSubstr("add_library(Strata::runtime STATIC IMPORTED)"));
    EXPECT_THAT(runtime, HasSubstr("$<LINK_ONLY:fmt::fmt>"));
    for (const char* driver : {"PkgConfig::PQXX", "PkgConfig::PQ", "SQLiteCpp", "SQLite3"})
        EXPECT_THAT(runtime, Not(HasSubstr(driver))) << driver;
    const std::string sqlite = read_file(config / "StrataSqliteTargets.cmake");
    EXPECT_THAT(sqlite, HasSubstr("add_library(Strata::sqlite STATIC IMPORTED)"));
    EXPECT_THAT(sqlite, HasSubstr("SQLiteCpp"));
    EXPECT_THAT(sqlite, Not(HasSubstr("PkgConfig::PQ")));
    const std::string postgres = read_file(config / "StrataPostgresTargets.cmake");
    EXPECT_THAT(postgres, HasSubstr("add_library(Strata::postgres STATIC IMPORTED)"));
    EXPECT_THAT(postgres, HasSubstr("PkgConfig::PQXX"));
    EXPECT_THAT(postgres, Not(HasSubstr("SQLiteCpp")));
    for (const std::string& exported : {runtime, sqlite, postgres}) {
        EXPECT_THAT(exported, Not(HasSubstr("strata_warnings")));
        EXPECT_THAT(exported, Not(HasSubstr("strata_tooling")));
        EXPECT_THAT(exported, Not(HasSubstr("nlohmann")));
        EXPECT_THAT(exported, Not(HasSubstr(strata_source_dir.string())));
        EXPECT_THAT(exported, Not(HasSubstr(strata_binary_dir.string())));
    }
}

// find_package(Strata) looks for the libraries' dependencies only when they
// can be wanted: not for COMPONENTS tool, not when cross-compiling unless
// COMPONENTS asks for a library; an unknown component fails.
TEST(RuntimePackageTest, ComponentsAndCrossCompilingSayWhatIsLookedFor) {
    {
        const runtime_consumer app;
        const auto configured = app.configure({"-DSTRATA_COMPONENTS=tool"});
        ASSERT_EQ(configured.exit_code, 0) << configured.describe();
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: no Strata::runtime"));
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: Strata_runtime_FOUND=FALSE"));
        EXPECT_FALSE(app.cached("fmt_DIR")) << configured.describe();
    }
    {
        const runtime_consumer app;
        const auto configured = app.configure({"-DSTRATA_COMPONENTS=runtime;flux"});
        EXPECT_NE(configured.exit_code, 0) << configured.describe();
        EXPECT_THAT(configured.all_output(), HasSubstr("Strata has no component 'flux'"));
    }
    // Cross-compiling: the build machine's tool (STRATA_EXECUTABLE), and no
    // runtime unless asked for, since the package found may well be the
    // build machine's.
    const std::string installed_tool = (installed_prefix() / "bin" / "strata").string();
    const std::vector<std::string> cross = {"-DCMAKE_SYSTEM_NAME=Linux",
                                            "-DSTRATA_EXECUTABLE=" + installed_tool};
    {
        const runtime_consumer app;
        const auto configured = app.configure(cross);
        ASSERT_EQ(configured.exit_code, 0) << configured.describe();
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: no Strata::runtime"));
        EXPECT_FALSE(app.cached("fmt_DIR")) << configured.describe();
    }
    {
        const runtime_consumer app;
        auto defines = cross;
        defines.push_back("-DSTRATA_COMPONENTS=sqlite");
        const auto configured = app.configure(defines);
        ASSERT_EQ(configured.exit_code, 0) << configured.describe();
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: Strata::runtime imported=TRUE"));
        const auto built = app.build();
        ASSERT_EQ(built.exit_code, 0) << built.describe();
        const auto migrated = app.migrate(fixtures_dir / "consumer" / "migrations");
        EXPECT_EQ(migrated.out, migrated_fixture_set) << migrated.describe();
    }
}

// libpqxx and libpq made unfindable (pkg-config finds no module, and no
// CMake package of theirs may be found): an application using
// SQLite only configures, builds and runs; COMPONENTS postgres fails naming
// the component and what it misses; without components, the tool, the
// runtime and the SQLite backend are there and Strata::postgres is not.
TEST(RuntimePackageTest, SqliteOnlyApplicationNeedsNoPostgresLibraries) {
    const std::map<std::string, std::string> no_pkg_config_modules = {{"PKG_CONFIG_LIBDIR", ""},
                                                                      {"PKG_CONFIG_PATH", ""}};
    // Nor may their CMake packages, where a system has them, be found.
    const std::vector<std::string> no_packages = {"-DCMAKE_DISABLE_FIND_PACKAGE_libpqxx=ON",
                                                  "-DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON"};
    {
        const runtime_consumer app;
        auto defines = no_packages;
        defines.push_back("-DSTRATA_COMPONENTS=sqlite");
        const auto configured = app.configure(defines, no_pkg_config_modules);
        ASSERT_EQ(configured.exit_code, 0) << configured.describe();
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: Strata_sqlite_FOUND=TRUE"));
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: Strata_postgres_FOUND=FALSE"));
        // Asking for a backend implies the runtime without telling the caller.
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: left in scope=[]"));
        EXPECT_FALSE(app.cached("PQXX_FOUND")) << configured.describe();
        const auto built = app.build();
        ASSERT_EQ(built.exit_code, 0) << built.describe();
        const auto linked = read_file(app.build_dir() / "build.ninja");
        EXPECT_THAT(linked, Not(HasSubstr("libpqxx"))) << "the link line names libpqxx";
        EXPECT_THAT(linked, Not(HasSubstr("libpq."))) << "the link line names libpq";
        const auto migrated = app.migrate(fixtures_dir / "consumer" / "migrations");
        EXPECT_EQ(migrated.exit_code, 0) << migrated.describe();
        EXPECT_EQ(migrated.out, migrated_fixture_set) << migrated.describe();
    }
    for (const std::string& components : {"postgres", "sqlite;postgres"}) {
        const runtime_consumer app;
        const auto configured =
            app.configure({"-DSTRATA_COMPONENTS=" + components}, no_pkg_config_modules);
        EXPECT_NE(configured.exit_code, 0) << configured.describe();
        EXPECT_THAT(unwrapped(configured.all_output()),
                    HasSubstr("Strata::postgres needs dependencies that were not found: "
                              "libpqxx (pkg-config), libpq (pkg-config)"))
            << configured.describe();
    }
    {
        const runtime_consumer app;
        const auto configured = app.configure(no_packages, no_pkg_config_modules);
        ASSERT_EQ(configured.exit_code, 0) << configured.describe();
        EXPECT_THAT(configured.out, HasSubstr("Strata: no Strata::postgres, missing: libpqxx"));
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: Strata::runtime imported=TRUE"));
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: Strata_sqlite_FOUND=TRUE"));
        EXPECT_THAT(configured.out, HasSubstr("runtime_consumer: left in scope=[]"));
    }
}

// ---------------------------------------------------------------------------
// The examples, built against the installed package as a user would: each
// program migrates its database at startup with the migrations compiled in,
// a second start finds it current, and the examples' own CTest tests pass.

process_result build_example(const std::string& name, const fs::path& build,
                             const std::vector<std::string>& defines = {}) {
    std::vector<std::string> configure = {cmake_command,
                                          "-S",
                                          (strata_source_dir / "examples" / name).string(),
                                          "-B",
                                          build.string(),
                                          "-G",
                                          "Ninja",
                                          "-DCMAKE_PREFIX_PATH=" + installed_prefix().string()};
    configure.insert(configure.end(), defines.begin(), defines.end());
    auto configured = run(configure);
    if (configured.exit_code != 0)
        return configured;
    return run({cmake_command, "--build", build.string()});
}

TEST(ExamplesTest, SqliteAppMigratesAtStartup) {
    const scratch_directory scratch{"strata-example-sqlite"};
    const auto built = build_example("sqlite-app", scratch / "build");
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    const std::string db = (scratch / "todo.db").string();
    const auto first = run({(scratch / "build" / "todo").string(), db});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    EXPECT_THAT(first.out, HasSubstr("migrated 20250315090000_add_item_position"));
    EXPECT_THAT(first.out, HasSubstr("#1 bread (groceries)\n#2 olive oil (groceries)\n"));
    const auto second = run({(scratch / "build" / "todo").string(), db});
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_THAT(second.out, Not(HasSubstr("migrated")));
    // The CLI agrees: everything applied.
    const auto status =
        run({STRATA_EXE, "--dir", (strata_source_dir / "examples/sqlite-app/migrations").string(),
             "--url", "sqlite:" + db, "status", "--exit-code"});
    EXPECT_EQ(status.exit_code, 0) << status.describe();
    const auto tests = run({ctest_command, "--test-dir", (scratch / "build").string()});
    EXPECT_EQ(tests.exit_code, 0) << tests.describe();

    // A second build from clean, elsewhere, embeds the very same bytes.
    const auto again = build_example("sqlite-app", scratch / "other build");
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    const fs::path embedded = fs::path("strata") / "todo_db" / "db_migrations.cpp";
    EXPECT_EQ(read_file(scratch / "build" / embedded),
              read_file(scratch / "other build" / embedded));
    EXPECT_THAT(read_file(scratch / "build" / embedded), Not(HasSubstr(scratch.path().string())));
}

TEST(ExamplesTest, PostgresAppMigratesAtStartup) {
    const scratch_directory scratch{"strata-example-postgres"};
    const strata::test::postgres_test_database live("example_shop");
    const auto built = build_example("postgres-app", scratch / "build",
                                     {"-DPOSTGRES_URL=" + strata::test::postgres_server_url()});
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    const auto first = run({(scratch / "build" / "shop").string(), live.url()});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    EXPECT_THAT(first.out, HasSubstr("migrated 20250402090000_products_by_name"));
    EXPECT_THAT(first.out, HasSubstr("#1 olive oil 1250 cents, on_sale\n"));
    const auto second = run({(scratch / "build" / "shop").string(), live.url()});
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_THAT(second.out, HasSubstr("database up to date\n"));
    live.exec("ALTER TABLE products ADD COLUMN secret text");
    const auto drifted = run({(scratch / "build" / "shop").string(), live.url()});
    EXPECT_EQ(drifted.exit_code, 1) << drifted.describe();
    EXPECT_THAT(drifted.err, HasSubstr("table products: column secret: added secret text"));
    const auto tests = run({ctest_command, "--test-dir", (scratch / "build").string()});
    EXPECT_EQ(tests.exit_code, 0) << tests.describe();
}

// ---------------------------------------------------------------------------
// Wrong calls of add_migrations() stop the configure step with a message
// that names add_migrations and the problem.

struct bad_call {
    std::string name;                   // CASE of the bad_arguments fixture
    std::vector<std::string> expected;  // what the message must contain
};

void PrintTo(const bad_call& call, std::ostream* out) {
    *out << call.name;
}

class BadArgumentsTest : public ::testing::TestWithParam<bad_call> {
  protected:
    scratch_directory scratch{"strata-cmake-args"};

    process_result configure(const std::string& which) {
        const fs::path source = scratch / "project";
        if (!fs::exists(source))
            fs::copy(fixtures_dir / "bad_arguments", source, fs::copy_options::recursive);
        return run({cmake_command, "-S", source.string(), "-B", (scratch / which).string(), "-G",
                    "Ninja", "-DCASE=" + which,
                    "-DCMAKE_PREFIX_PATH=" + installed_prefix().string()});
    }
};

TEST_P(BadArgumentsTest, ConfigureFailsNamingAddMigrationsAndTheProblem) {
    const bad_call& call = GetParam();
    // The control: the same project with a correct call configures.
    const auto valid = configure("valid");
    ASSERT_EQ(valid.exit_code, 0) << valid.describe();

    const auto configured = configure(call.name);
    EXPECT_NE(configured.exit_code, 0) << configured.describe();
    const std::string message = configured.all_output();
    EXPECT_THAT(message, HasSubstr("CMake Error"));
    EXPECT_THAT(message, HasSubstr("add_migrations"));
    for (const auto& text : call.expected)
        EXPECT_THAT(message, HasSubstr(text)) << configured.describe();
    EXPECT_THAT(message, Not(HasSubstr("Generating done")));
}

INSTANTIATE_TEST_SUITE_P(
    Calls, BadArgumentsTest,
    ::testing::Values(
        bad_call{"missing_directory", {"DIRECTORY", "required"}},
        bad_call{"missing_namespace", {"NAMESPACE", "required"}},
        bad_call{"missing_header", {"HEADER", "required"}},
        bad_call{"unknown_argument", {"FLAVOUR", "unknown"}},
        bad_call{"nonexistent_directory", {"no_such_migrations", "does not exist"}},
        // ';' is CMake's list separator: refused at configure time, not
        // passed on to fail the build as two arguments.
        bad_call{"semicolon_directory", {"DIRECTORY must not contain ';'", "'migrations;more'"}},
        bad_call{"semicolon_namespace", {"NAMESPACE must not contain ';'", "'shop;db'"}},
        bad_call{"semicolon_header", {"HEADER must not contain ';'", "'shop/db;schema.hpp'"}},
        bad_call{"semicolon_snapshot", {"SNAPSHOT must not contain ';'", "'schema;v2.sql'"}},
        bad_call{"space_namespace", {"NAMESPACE is a C++ namespace such as app::db", "'shop db'"}}),
    [](const ::testing::TestParamInfo<bad_call>& param) { return param.param.name; });

// ---------------------------------------------------------------------------
// Real histories: an older history grandfathered with REVERSIBLE_FROM, and
// sqlx's plain files, one-way by design, with no flag at all.

// Down scripts that say "SQLite can't drop columns": before REVERSIBLE_FROM
// they are warnings of the build and of the round-trip test, from it on
// errors; without it, errors.
TEST(RealHistoryBuildTest, ReversibleFromGrandfathersOlderDownScripts) {
    consumer_options options;
    options.defines = {"-DCONSUMER_REVERSIBLE_FROM=2025-01-03-000000"};
    consumer_project project(options);
    write_file(project.migrations() / orders_down, "-- SQLite can't drop tables in 2025\n");
    const auto configured = project.configure();
    ASSERT_EQ(configured.exit_code, 0) << configured.describe();
    const auto built = project.build();
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    EXPECT_THAT(built.all_output(),
                HasSubstr(orders_down + ":1: warning: down script holds no SQL statement"));
    EXPECT_THAT(built.all_output(), HasSubstr("older than 20250103000000"));
    const auto tests = project.ctest({"--output-on-failure", "-R", "roundtrip"});
    EXPECT_EQ(tests.exit_code, 0) << tests.describe();

    // A migration from that version on is held to the rule.
    let_the_clock_tick();
    write_file(project.migrations() / "20250103000000_add_email.up.sql",
               "ALTER TABLE customers ADD COLUMN email TEXT;\n");
    const auto later = project.build();
    EXPECT_NE(later.exit_code, 0) << later.describe();
    EXPECT_THAT(messages(later),
                HasSubstr("migration 20250103000000_add_email has no down script"));
}

TEST(RealHistoryBuildTest, WithoutReversibleFromTheOlderDownScriptFailsTheBuild) {
    consumer_project project;
    write_file(project.migrations() / orders_down, "-- SQLite can't drop tables in 2025\n");
    ASSERT_EQ(project.configure().exit_code, 0);
    const auto built = project.build();
    EXPECT_NE(built.exit_code, 0) << built.describe();
    EXPECT_THAT(messages(built),
                HasSubstr(orders_down + ":1: error: down script holds no SQL statement"));
}

// sqlx's simple layout builds, and verify_schema gives it an up test and no
// round trip, saying why; a reversible file added later brings it back.
TEST(RealHistoryBuildTest, PlainSqlxSetBuildsWithoutAFlagAndHasNoRoundtripTest) {
    consumer_project project;
    for (const char* stem : {"20250101000000_create_customers", "20250102000000_create_orders"}) {
        fs::rename(project.migrations() / (std::string(stem) + ".up.sql"),
                   project.migrations() / (std::string(stem) + ".sql"));
        fs::remove(project.migrations() / (std::string(stem) + ".down.sql"));
    }
    const auto configured = project.configure();
    ASSERT_EQ(configured.exit_code, 0) << configured.describe();
    EXPECT_THAT(configured.out, HasSubstr("holds sqlx's plain migration files only, one-way by "
                                          "design: no round-trip test"));
    const auto built = project.build();
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    expect_program_uses_the_schema(project.run_program());
    const auto listed = project.ctest({"-N"});
    EXPECT_EQ(listed_tests(listed.out), (std::set<std::string>{"shop_db.up"})) << listed.describe();
    const auto tests = project.ctest({"--output-on-failure"});
    EXPECT_EQ(tests.exit_code, 0) << tests.describe();

    let_the_clock_tick();
    write_file(project.migrations() / "20250103000000_add_email.up.sql",
               "ALTER TABLE customers ADD COLUMN email TEXT;\n");
    write_file(project.migrations() / "20250103000000_add_email.down.sql",
               "ALTER TABLE customers DROP COLUMN email;\n");
    write_file(project.source() / "schema.sql",
               replace_once(read_file(project.source() / "schema.sql"), "full_name TEXT NOT NULL",
                            "full_name TEXT NOT NULL,\n    email TEXT"));
    const auto rebuilt = project.build();
    ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.describe();
    const auto relisted = project.ctest({"-N"});
    EXPECT_EQ(listed_tests(relisted.out),
              (std::set<std::string>{"shop_db.roundtrip", "shop_db.up"}))
        << relisted.describe();
}

// Spaces in DIRECTORY and HEADER are no problem: the set is checked and the
// header written where the include path says.
TEST(BadArgumentsSpacesTest, DirectoryAndHeaderWithSpacesWork) {
    const scratch_directory scratch{"strata-cmake-args spaced"};
    const fs::path source = scratch / "project";
    fs::copy(fixtures_dir / "bad_arguments", source, fs::copy_options::recursive);
    fs::copy(source / "migrations", source / "my migrations", fs::copy_options::recursive);
    const fs::path build = scratch / "build dir";
    const auto configured =
        run({cmake_command, "-S", source.string(), "-B", build.string(), "-G", "Ninja",
             "-DCASE=spaces", "-DCMAKE_PREFIX_PATH=" + installed_prefix().string()});
    ASSERT_EQ(configured.exit_code, 0) << configured.describe();
    const auto built = run({cmake_command, "--build", build.string(), "--target", "shop_db_check"});
    ASSERT_EQ(built.exit_code, 0) << built.describe();
    EXPECT_THAT(built.all_output(), HasSubstr("my migrations pass every check"));
    const fs::path header = build / "strata/shop_db/include/shop/db schema.hpp";
    ASSERT_TRUE(fs::exists(header)) << built.describe();
    EXPECT_THAT(read_file(header), HasSubstr("namespace shop::db"));
}

}  // namespace
