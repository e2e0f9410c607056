// The generated C++ header: type mapping, identifiers for hostile names, the
// facts of each column, and a file that is only rewritten when its content
// changes (unit and through `strata header`).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "process.hpp"
#include "schema_test_support.hpp"
#include "strata/error.hpp"
#include "tooling/codegen/header.hpp"

namespace fs = std::filesystem;
using strata::cpp_identifier;
using strata::cpp_type_for;
using strata::generate_header;
using strata::header_options;
using strata::test::schema_of;
using strata::test::scratch_directory;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

TEST(HeaderTypes, FollowSqliteAffinity) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"INTEGER", "::std::int64_t"},
        {"INT", "::std::int64_t"},
        {"BIGINT", "::std::int64_t"},
        {"TINYINT", "::std::int64_t"},
        {"UNSIGNED BIG INT", "::std::int64_t"},
        {"int8", "::std::int64_t"},
        {"BOOLEAN", "bool"},
        {"BOOL", "bool"},
        {"REAL", "double"},
        {"DOUBLE", "double"},
        {"DOUBLE PRECISION", "double"},
        {"FLOAT", "double"},
        {"NUMERIC", "double"},
        {"DECIMAL(10, 2)", "double"},
        {"TEXT", "::std::string"},
        {"VARCHAR(255)", "::std::string"},
        {"CHARACTER(20)", "::std::string"},
        {"NVARCHAR(100)", "::std::string"},
        {"CLOB", "::std::string"},
        {"DATETIME", "::std::string"},
        {"DATE", "::std::string"},
        {"TIMESTAMP", "::std::string"},
        {"BLOB", "::std::vector<::std::uint8_t>"},
        {"", "::std::vector<::std::uint8_t>"},
    };
    for (const auto& [sql, cpp] : cases)
        EXPECT_EQ(cpp_type_for(sql), cpp) << "SQL type " << sql;
}

// A valid, non-reserved C++ identifier: [A-Za-z][A-Za-z0-9_]*, no "__", not
// ending in '_' unless it is a mapped keyword.
bool plain_identifier(const std::string& id) {
    if (id.empty() || !std::isalpha(static_cast<unsigned char>(id.front())))
        return false;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            return false;
    return id.find("__") == std::string::npos;
}

TEST(HeaderIdentifiers, KeywordsAndOddNamesBecomeValidIdentifiers) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"users", "users"},
        {"Users", "Users"},
        {"class", "class_"},
        {"int", "int_"},
        {"namespace", "namespace_"},
        {"template", "template_"},
        {"and", "and_"},
        {"co_await", "co_await_"},
        {"requires", "requires_"},
        {"a b", "a_b"},
        {"a-b", "a_b"},
        {"a  b", "a_b"},
        {"it's \"quoted\"", "it_s_quoted"},
        {"_leading", "leading"},
        {"__x", "x"},
        {"x__y", "x_y"},
        {"trailing_", "trailing"},
        {"1st", "n1st"},
        {"2", "n2"},
        {"café", "caf"},
    };
    for (const auto& [sql, id] : cases) {
        EXPECT_EQ(cpp_identifier(sql), id) << "SQL name " << sql;
        EXPECT_TRUE(plain_identifier(cpp_identifier(sql))) << cpp_identifier(sql);
    }
}

TEST(HeaderIdentifiers, NamesWithoutAnyIdentifierCharacterStillGetOne) {
    for (const std::string sql : {"é", "表", "", " ", "__", "\"\""}) {
        const std::string id = cpp_identifier(sql);
        EXPECT_TRUE(plain_identifier(id)) << "'" << sql << "' -> '" << id << "'";
    }
}

// xor, xor_eq, bitor, ... are C++ keywords (alternative tokens) like `and`.
TEST(HeaderIdentifiers, AlternativeTokensAreKeywords) {
    for (const std::string token : {"and", "and_eq", "bitand", "bitor", "compl", "not", "not_eq",
                                    "or", "or_eq", "xor", "xor_eq"})
        EXPECT_EQ(cpp_identifier(token), token + "_") << token;
}

// One table of every kind of column the header describes.
const char* const accounts_sql =
    "CREATE TABLE accounts (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  email TEXT NOT NULL,\n"
    "  nickname VARCHAR(40),\n"
    "  balance NUMERIC NOT NULL DEFAULT 0,\n"
    "  active BOOLEAN NOT NULL DEFAULT 1,\n"
    "  avatar BLOB,\n"
    "  doubled INTEGER AS (id * 2)\n"
    ");\n"
    "CREATE TABLE tags (name TEXT, owner INTEGER, PRIMARY KEY (owner, name)) WITHOUT ROWID;\n";

std::string accounts_header(header_options options = {}) {
    if (options.ns == "db")
        options.ns = "app::db";
    if (options.schema_version.empty())
        options.schema_version = "20250120120000";
    return generate_header(schema_of(accounts_sql), options);
}

std::string column_block(const std::string& id, const std::string& type, const std::string& name,
                         const std::string& sql_type, bool nullable, int primary_key,
                         bool has_default) {
    return "struct " + id + " {\n    using value_type = " + type +
           ";\n    static constexpr ::std::string_view sql_name = \"" + name +
           "\";\n    static constexpr ::std::string_view sql_type = \"" + sql_type +
           "\";\n    static constexpr bool is_nullable = " + (nullable ? "true" : "false") +
           ";\n    static constexpr int pk_position = " + std::to_string(primary_key) +
           ";  // in the primary key, 0: not in it\n    static constexpr bool has_default = " +
           (has_default ? "true" : "false") + ";\n};\n";
}

// With EMBED in the same namespace, migrations(), migrate() and
// check_schema() are taken: tables called so get other identifiers.
TEST(GenerateHeader, ReservedNamesGoToNoTable) {
    strata::schema s;
    s.backend = strata::backend_kind::sqlite;
    for (const char* name : {"migrations", "migrate", "orders"}) {
        strata::table t;
        t.name = name;
        strata::column id;
        id.name = "id";
        id.type = "INTEGER";
        t.columns = {id};
        s.tables.push_back(t);
    }
    strata::header_options options;
    options.ns = "app::db";
    options.reserved_names = {"migrations", "migrate", "check_schema"};
    const std::string h = strata::generate_header(s, options);
    EXPECT_THAT(h, HasSubstr("\nnamespace migrations_2 {\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace migrate_2 {\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace orders {\n"));
    EXPECT_THAT(h, HasSubstr("table_name = \"migrations\";"));
    options.reserved_names.clear();
    EXPECT_THAT(strata::generate_header(s, options), HasSubstr("\nnamespace migrations {\n"));
}

TEST(GenerateHeader, DescribesEveryColumn) {
    const std::string h = accounts_header();
    EXPECT_THAT(h, HasSubstr("#pragma once\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace app::db {\n"));
    EXPECT_THAT(h, HasSubstr("inline constexpr ::std::string_view schema_version = "
                             "\"20250120120000\";\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace accounts {\ninline constexpr ::std::string_view "
                             "table_name = \"accounts\";\n"));
    // A rowid alias can hold no NULL and has a default (the next rowid).
    EXPECT_THAT(h,
                HasSubstr(column_block("id", "::std::int64_t", "id", "INTEGER", false, 1, true)));
    EXPECT_THAT(
        h, HasSubstr(column_block("email", "::std::string", "email", "TEXT", false, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("nickname", "::std::string", "nickname", "VARCHAR(40)",
                                          true, 0, false)));
    EXPECT_THAT(h,
                HasSubstr(column_block("balance", "double", "balance", "NUMERIC", false, 0, true)));
    EXPECT_THAT(h, HasSubstr(column_block("active", "bool", "active", "BOOLEAN", false, 0, true)));
    EXPECT_THAT(h, HasSubstr(column_block("avatar", "::std::vector<::std::uint8_t>", "avatar",
                                          "BLOB", true, 0, false)));
    // A generated column is computed: it has a default in the sense that an
    // INSERT must not name it.
    EXPECT_THAT(h, HasSubstr(column_block("doubled", "::std::int64_t", "doubled", "INTEGER", true,
                                          0, true)));
    EXPECT_THAT(h, HasSubstr("using columns = ::std::tuple<id, email, nickname, balance, active, "
                             "avatar, doubled>;\n"));
    EXPECT_THAT(h,
                HasSubstr("inline constexpr ::std::array<::std::string_view, 7> column_names = "
                          "{id::sql_name, email::sql_name, nickname::sql_name, balance::sql_name, "
                          "active::sql_name, avatar::sql_name, doubled::sql_name};\n"));
    // The primary key of a WITHOUT ROWID table is NOT NULL, in key order.
    EXPECT_THAT(h,
                HasSubstr(column_block("name", "::std::string", "name", "TEXT", false, 2, false)));
    EXPECT_THAT(h, HasSubstr("inline constexpr ::std::array<::std::string_view, 2> tables = "
                             "{accounts::table_name, tags::table_name};\n"));
    EXPECT_THAT(h, HasSubstr("\n}  // namespace app::db\n"));
}

// The members of `row` in namespace `table`, each with whether it is a
// std::optional: "name" or "name?".
std::vector<std::string> row_members(const std::string& header, const std::string& table) {
    const auto in_table = header.find("\nnamespace " + table + " {\n");
    const auto begin = header.find("struct row {\n", in_table);
    const auto end = header.find("\n};", begin);
    std::vector<std::string> members;
    std::size_t line = header.find('\n', begin) + 1;
    while (line < end) {
        const auto next = header.find('\n', line);
        std::string text = header.substr(line, next - line);
        const bool optional = text.find("::std::optional<") != std::string::npos;
        while (!text.empty() && (text.back() == ';' || text.back() == '}' || text.back() == '{'))
            text.pop_back();
        members.push_back(text.substr(text.find_last_of(" >") + 1) + (optional ? "?" : ""));
        line = next + 1;
    }
    return members;
}

TEST(GenerateHeader, RowHasOptionalExactlyForNullableColumns) {
    const std::string h = accounts_header();
    EXPECT_EQ(row_members(h, "accounts"),
              (std::vector<std::string>{"id", "email", "nickname?", "balance", "active", "avatar?",
                                        "doubled?"}));
    EXPECT_EQ(row_members(h, "tags"), (std::vector<std::string>{"name", "owner"}));
}

TEST(GenerateHeader, TypeOverridesReplaceTheMapping) {
    header_options options;
    options.type_overrides["accounts.balance"] = "::std::int64_t";
    options.type_overrides["accounts.nickname"] = "::std::string_view";
    const std::string h = accounts_header(options);
    EXPECT_THAT(h, HasSubstr(column_block("balance", "::std::int64_t", "balance", "NUMERIC", false,
                                          0, true)));
    EXPECT_THAT(h, HasSubstr(column_block("nickname", "::std::string_view", "nickname",
                                          "VARCHAR(40)", true, 0, false)));
    EXPECT_THAT(
        h, HasSubstr(column_block("email", "::std::string", "email", "TEXT", false, 0, false)));
}

TEST(GenerateHeader, HostileNamesAreMappedAndKeptAsStrings) {
    const std::string h = generate_header(
        schema_of("CREATE TABLE \"class\" (\"int\" INTEGER PRIMARY KEY, \"row\" TEXT, \"columns\" "
                  "TEXT, \"std\" TEXT, \"a b\" TEXT, \"a_b\" TEXT, \"say \"\"hi\"\"\\n\" TEXT);\n"
                  "CREATE TABLE \"tables\" (x TEXT);\n"
                  "CREATE TABLE \"schema_version\" (x TEXT);\n"),
        {});
    EXPECT_THAT(h, HasSubstr("\nnamespace class_ {\ninline constexpr ::std::string_view "
                             "table_name = \"class\";\n"));
    EXPECT_THAT(h, HasSubstr("struct int_ {\n"));
    EXPECT_THAT(h, HasSubstr("static constexpr ::std::string_view sql_name = \"int\";\n"));
    // Names the header declares in a table's namespace.
    EXPECT_THAT(h, HasSubstr("struct row_2 {\n"));
    EXPECT_THAT(h, HasSubstr("struct columns_2 {\n"));
    EXPECT_THAT(h, HasSubstr("struct std_2 {\n"));
    // Two names that map to one identifier.
    EXPECT_THAT(h, HasSubstr("struct a_b {\n    using value_type = ::std::string;\n    static "
                             "constexpr ::std::string_view sql_name = \"a b\";\n"));
    EXPECT_THAT(h, HasSubstr("struct a_b_2 {\n    using value_type = ::std::string;\n    static "
                             "constexpr ::std::string_view sql_name = \"a_b\";\n"));
    // Quotes and backslashes escaped in the string literal.
    EXPECT_THAT(h, HasSubstr("sql_name = \"say \\\"hi\\\"\\\\n\";\n"));
    // Names the header declares at the schema level.
    EXPECT_THAT(h, HasSubstr("\nnamespace tables_2 {\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace schema_version_2 {\n"));
    EXPECT_THAT(h, Not(HasSubstr("namespace class {")));
    EXPECT_THAT(h, Not(HasSubstr("struct int {")));
}

TEST(GenerateHeader, ControlCharactersAreEscaped) {
    const std::string h =
        generate_header(schema_of("CREATE TABLE t (\"tab\tnew\nline\" TEXT);"), {});
    EXPECT_THAT(h, HasSubstr("sql_name = \"tab\\x09\"\"new\\x0a\"\"line\";\n"));
}

TEST(GenerateHeader, RejectsANamespaceThatIsNotACppName) {
    for (const std::string ns :
         {"", "app db", "1app", "class", "app::", "::app", "app:::db", "a-b"}) {
        header_options options;
        options.ns = ns;
        try {
            generate_header(schema_of("CREATE TABLE t (x TEXT);"), options);
            ADD_FAILURE() << "namespace '" << ns << "' accepted";
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::usage) << ns;
            EXPECT_THAT(e.what(), HasSubstr("'" + ns + "'")) << ns;
        }
    }
    header_options nested;
    nested.ns = "my_app::storage::db";
    EXPECT_THAT(generate_header(schema_of("CREATE TABLE t (x TEXT);"), nested),
                HasSubstr("\nnamespace my_app::storage::db {\n"));
}

TEST(GenerateHeader, IsDeterministicWhateverTheCreationOrder) {
    const auto a = generate_header(
        schema_of("CREATE TABLE b (x TEXT); CREATE TABLE a (y INTEGER NOT NULL);"), {});
    const auto b = generate_header(
        schema_of("CREATE TABLE a (y integer not null); CREATE TABLE b (\"x\" text);"), {});
    EXPECT_EQ(a, b);
}

fs::file_time_type an_hour_ago() {
    return fs::file_time_type::clock::now() - std::chrono::hours(1);
}

TEST(WriteIfChanged, WritesOnlyWhenTheContentChanges) {
    scratch_directory dir("strata-schema-header");
    const fs::path path = dir / "include/app/db.hpp";  // parent directories created
    EXPECT_TRUE(strata::write_if_changed(path.string(), "// one\n"));
    EXPECT_EQ(strata::test::read_file(path), "// one\n");
    const auto old_time = an_hour_ago();
    fs::last_write_time(path, old_time);

    EXPECT_FALSE(strata::write_if_changed(path.string(), "// one\n"));
    EXPECT_EQ(fs::last_write_time(path), old_time);
    EXPECT_EQ(strata::test::read_file(path), "// one\n");

    EXPECT_TRUE(strata::write_if_changed(path.string(), "// two\n"));
    EXPECT_EQ(strata::test::read_file(path), "// two\n");
    EXPECT_NE(fs::last_write_time(path), old_time);
    // No temporary file left behind.
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(path.parent_path()))
        files.push_back(e.path().filename().string());
    EXPECT_EQ(files, std::vector<std::string>{"db.hpp"});
}

// ---- PostgreSQL ------------------------------------------------------------

using strata::cpp_type_for_postgres;

TEST(HeaderPostgresTypes, MapFormatTypeText) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"smallint", "::std::int16_t"},
        {"integer", "::std::int32_t"},
        {"bigint", "::std::int64_t"},
        {"int2", "::std::int16_t"},
        {"int4", "::std::int32_t"},
        {"int8", "::std::int64_t"},
        {"boolean", "bool"},
        {"real", "float"},
        {"double precision", "double"},
        {"float4", "float"},
        {"float8", "double"},
        {"bytea", "::std::vector<::std::uint8_t>"},
        {"text", "::std::string"},
        {"character varying(40)", "::std::string"},
        {"character varying", "::std::string"},
        {"character(3)", "::std::string"},
        {"\"char\"", "::std::string"},
        {"citext", "::std::string"},
        {"uuid", "::std::string"},
        {"json", "::std::string"},
        {"jsonb", "::std::string"},
        // Lossless as text, and text is what libpqxx reads.
        {"numeric(10,2)", "::std::string"},
        {"numeric", "::std::string"},
        {"date", "::std::string"},
        {"time without time zone", "::std::string"},
        {"time with time zone", "::std::string"},
        {"timestamp without time zone", "::std::string"},
        {"timestamp(3) with time zone", "::std::string"},
        {"interval", "::std::string"},
        {"inet", "::std::string"},
        {"tsvector", "::std::string"},
        {"", "::std::string"},
    };
    for (const auto& [sql, cpp] : cases)
        EXPECT_EQ(cpp_type_for_postgres(sql), cpp) << "PostgreSQL type " << sql;
}

TEST(HeaderPostgresTypes, ArraysAreVectorsOfTheirElementType) {
    const std::map<std::string, std::string> enums = {{"mood", "::app::db::mood"}};
    EXPECT_EQ(cpp_type_for_postgres("integer[]"), "::std::vector<::std::int32_t>");
    EXPECT_EQ(cpp_type_for_postgres("text[]"), "::std::vector<::std::string>");
    EXPECT_EQ(cpp_type_for_postgres("smallint[]"), "::std::vector<::std::int16_t>");
    EXPECT_EQ(cpp_type_for_postgres("character varying(40)[]"), "::std::vector<::std::string>");
    EXPECT_EQ(cpp_type_for_postgres("timestamp(3) with time zone[]"),
              "::std::vector<::std::string>");
    EXPECT_EQ(cpp_type_for_postgres("bytea[]"), "::std::vector<::std::vector<::std::uint8_t>>");
    EXPECT_EQ(cpp_type_for_postgres("integer[][]"), "::std::vector<::std::vector<::std::int32_t>>");
    EXPECT_EQ(cpp_type_for_postgres("mood[]", enums), "::std::vector<::app::db::mood>");
}

TEST(HeaderPostgresTypes, EnumsByTheirNameAsFormatTypeSpellsIt) {
    const std::map<std::string, std::string> enums = {{"mood", "::app::db::mood"},
                                                      {"Traffic Light", "::app::db::Traffic_Light"},
                                                      {"integer", "::app::db::integer"},
                                                      {"say \"hi\"", "::app::db::say_hi"}};
    EXPECT_EQ(cpp_type_for_postgres("mood", enums), "::app::db::mood");
    EXPECT_EQ(cpp_type_for_postgres("\"Traffic Light\"", enums), "::app::db::Traffic_Light");
    EXPECT_EQ(cpp_type_for_postgres("\"say \"\"hi\"\"\"[]", enums),
              "::std::vector<::app::db::say_hi>");
    // format_type() quotes a user type named like a built-in one.
    EXPECT_EQ(cpp_type_for_postgres("\"integer\"", enums), "::app::db::integer");
    EXPECT_EQ(cpp_type_for_postgres("integer", enums), "::std::int32_t");
    // Another schema's enum is not this header's: its text.
    EXPECT_EQ(cpp_type_for_postgres("other.mood", enums), "::std::string");
    EXPECT_EQ(cpp_type_for_postgres("other.mood[]", enums), "::std::vector<::std::string>");
    // Without the enum in the schema, its text.
    EXPECT_EQ(cpp_type_for_postgres("mood"), "::std::string");
}

strata::column pg_column(const std::string& name, const std::string& type, bool not_null = false) {
    strata::column c;
    c.name = name;
    c.type = type;
    c.not_null = not_null;
    return c;
}

strata::user_type pg_enum(const std::string& name, std::vector<std::string> labels) {
    strata::user_type t;
    t.name = name;
    t.kind = "enum";
    t.labels = std::move(labels);
    return t;
}

// A table of every type the mapping knows, as PostgreSQL's introspection
// models it (lower-case format_type() text).
strata::schema postgres_schema() {
    strata::schema s;
    s.backend = strata::backend_kind::postgres;
    strata::table t;
    t.name = "everything";
    auto id = pg_column("id", "bigint", true);
    id.primary_key = 1;
    id.identity = "ALWAYS";
    t.columns = {id,
                 pg_column("small", "smallint", true),
                 pg_column("medium", "integer"),
                 pg_column("flag", "boolean", true),
                 pg_column("note", "text"),
                 pg_column("code", "character varying(40)", true),
                 pg_column("initials", "character(3)"),
                 pg_column("ratio", "real"),
                 pg_column("precise", "double precision"),
                 pg_column("price", "numeric(10,2)", true),
                 pg_column("bytes", "bytea"),
                 pg_column("uid", "uuid"),
                 pg_column("doc", "jsonb"),
                 pg_column("created", "timestamp(3) with time zone", true),
                 pg_column("email", "citext"),
                 pg_column("scores", "integer[]", true),
                 pg_column("labels", "text[]"),
                 pg_column("mood", "mood", true),
                 pg_column("moods", "mood[]"),
                 pg_column("elsewhere", "other.mood")};
    t.columns[4].default_sql = "'none'::text";
    s.tables.push_back(t);
    s.types.push_back(pg_enum("mood", {"sad", "ok", "happy"}));
    strata::user_type domain;
    domain.name = "positive";
    domain.kind = "domain";
    domain.sql = "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);";
    s.types.push_back(domain);
    return s;
}

std::string postgres_header(const strata::schema& s) {
    header_options options;
    options.ns = "app::db";
    options.schema_version = "20250120120000";
    return generate_header(s, options);
}

TEST(GeneratePostgresHeader, DescribesEveryColumnWithItsPostgresType) {
    const std::string h = postgres_header(postgres_schema());
    // An identity column has a default; a primary key holds no NULL.
    EXPECT_THAT(h, HasSubstr(column_block("id", "::std::int64_t", "id", "bigint", false, 1, true)));
    EXPECT_THAT(h, HasSubstr(column_block("small", "::std::int16_t", "small", "smallint", false, 0,
                                          false)));
    EXPECT_THAT(h, HasSubstr(column_block("medium", "::std::int32_t", "medium", "integer", true, 0,
                                          false)));
    EXPECT_THAT(h, HasSubstr(column_block("flag", "bool", "flag", "boolean", false, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("note", "::std::string", "note", "text", true, 0, true)));
    EXPECT_THAT(h, HasSubstr(column_block("code", "::std::string", "code", "character varying(40)",
                                          false, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("ratio", "float", "ratio", "real", true, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("precise", "double", "precise", "double precision", true,
                                          0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("price", "::std::string", "price", "numeric(10,2)", false,
                                          0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("bytes", "::std::vector<::std::uint8_t>", "bytes",
                                          "bytea", true, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("created", "::std::string", "created",
                                          "timestamp(3) with time zone", false, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("scores", "::std::vector<::std::int32_t>", "scores",
                                          "integer[]", false, 0, false)));
    // Enum types are named from the global namespace: inside `everything`
    // the column struct `mood` hides the enum `mood`.
    EXPECT_THAT(
        h, HasSubstr(column_block("mood", "::app::db::mood", "mood", "mood", false, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("moods", "::std::vector<::app::db::mood>", "moods",
                                          "mood[]", true, 0, false)));
    EXPECT_THAT(h, HasSubstr(column_block("elsewhere", "::std::string", "elsewhere", "other.mood",
                                          true, 0, false)));
}

TEST(GeneratePostgresHeader, RowHasOptionalExactlyForNullableColumns) {
    const std::string h = postgres_header(postgres_schema());
    EXPECT_EQ(row_members(h, "everything"),
              (std::vector<std::string>{
                  "id",     "small",    "medium?", "flag",   "note?",  "code",      "initials?",
                  "ratio?", "precise?", "price",   "bytes?", "uid?",   "doc?",      "created",
                  "email?", "scores",   "labels?", "mood",   "moods?", "elsewhere?"}));
    EXPECT_THAT(h, HasSubstr("    ::app::db::mood mood{};\n"));
    EXPECT_THAT(h, HasSubstr("    ::std::optional<::std::vector<::app::db::mood>> moods;\n"));
}

TEST(GeneratePostgresHeader, EnumsBecomeEnumClassesWithStringConversions) {
    const std::string h = postgres_header(postgres_schema());
    EXPECT_THAT(h, HasSubstr("template <typename E>\nconstexpr ::std::optional<E> "
                             "from_string(::std::string_view label) = delete;\n"));
    EXPECT_THAT(h, HasSubstr("\nenum class mood {\n    sad,\n    ok,\n    happy,\n};\n"
                             "\nconstexpr ::std::string_view to_string(mood value) {\n"
                             "    switch (value) {\n"
                             "        case mood::sad:\n            return \"sad\";\n"
                             "        case mood::ok:\n            return \"ok\";\n"
                             "        case mood::happy:\n            return \"happy\";\n"
                             "    }\n    return {};\n}\n"
                             "\ntemplate <>\nconstexpr ::std::optional<mood> "
                             "from_string<mood>(::std::string_view text) {\n"
                             "    if (text == \"sad\")\n        return mood::sad;\n"
                             "    if (text == \"ok\")\n        return mood::ok;\n"
                             "    if (text == \"happy\")\n        return mood::happy;\n"
                             "    return ::std::nullopt;\n}\n"));
    // Declared before the tables that use them.
    EXPECT_LT(h.find("enum class mood"), h.find("namespace everything"));
    // Only enums: a domain is its base type's text.
    EXPECT_THAT(h, Not(HasSubstr("positive")));
}

TEST(GeneratePostgresHeader, HostileLabelsGetDistinctIdentifiers) {
    strata::schema s;
    s.backend = strata::backend_kind::postgres;
    s.types.push_back(pg_enum("status", {"in-progress", "Done", "delete", "123", "in progress",
                                         "in_progress", "", "say \"hi\"\n", "status"}));
    const std::string h = postgres_header(s);
    EXPECT_THAT(h, HasSubstr("\nenum class status {\n    in_progress,\n    Done,\n    delete_,\n"
                             "    n123,\n    in_progress_2,\n    in_progress_3,\n    unnamed,\n"
                             "    say_hi,\n    status,\n};\n"));
    // The labels themselves are kept, escaped.
    EXPECT_THAT(h, HasSubstr("        case status::in_progress_2:\n"
                             "            return \"in progress\";\n"));
    EXPECT_THAT(h, HasSubstr("        case status::unnamed:\n            return \"\";\n"));
    EXPECT_THAT(h, HasSubstr("    if (text == \"say \\\"hi\\\"\\x0a\"\"\")\n"
                             "        return status::say_hi;\n"));
    EXPECT_THAT(h, HasSubstr("    if (text == \"123\")\n        return status::n123;\n"));
}

TEST(GeneratePostgresHeader, EnumWithoutLabelsLeavesItsParameterUnnamed) {
    strata::schema s;
    s.backend = strata::backend_kind::postgres;
    s.types.push_back(pg_enum("nothing", {}));
    const std::string h = postgres_header(s);
    EXPECT_THAT(h, HasSubstr("\nenum class nothing {\n};\n"));
    EXPECT_THAT(h, HasSubstr("from_string<nothing>(::std::string_view) {\n"
                             "    return ::std::nullopt;\n}\n"));
}

TEST(GeneratePostgresHeader, EnumNamesYieldToTablesAndToTheHelpers) {
    strata::schema s;
    s.backend = strata::backend_kind::postgres;
    for (const std::string name : {"mood", "to_string", "from_string"}) {
        strata::table t;
        t.name = name;
        t.columns = {pg_column("x", "mood")};
        s.tables.push_back(t);
    }
    s.types = {pg_enum("class", {"a"}), pg_enum("mood", {"a"}), pg_enum("std", {"a"}),
               pg_enum("to_string", {"a"})};
    const std::string h = postgres_header(s);
    EXPECT_THAT(h, HasSubstr("\nnamespace mood {\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace to_string_2 {\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace from_string_2 {\n"));
    EXPECT_THAT(h, HasSubstr("\nenum class class_ {\n"));
    EXPECT_THAT(h, HasSubstr("\nenum class mood_2 {\n"));
    EXPECT_THAT(h, HasSubstr("\nenum class std_2 {\n"));
    EXPECT_THAT(h, HasSubstr("\nenum class to_string_3 {\n"));
    EXPECT_THAT(h, HasSubstr("    using value_type = ::app::db::mood_2;\n"));
}

// Reserving the helpers' names is PostgreSQL's: SQLite headers stay as they were.
TEST(GeneratePostgresHeader, SqliteTablesKeepTheHelpersNames) {
    const std::string h = generate_header(
        schema_of("CREATE TABLE to_string (x TEXT); CREATE TABLE from_string (x TEXT);"), {});
    EXPECT_THAT(h, HasSubstr("\nnamespace to_string {\n"));
    EXPECT_THAT(h, HasSubstr("\nnamespace from_string {\n"));
    EXPECT_THAT(h, Not(HasSubstr("enum class")));
    EXPECT_THAT(h, Not(HasSubstr("from_string(")));
}

TEST(GeneratePostgresHeader, WithoutEnumsDeclaresNoHelpers) {
    strata::schema s = postgres_schema();
    s.types.clear();
    const std::string h = postgres_header(s);
    EXPECT_THAT(h, Not(HasSubstr("from_string")));
    EXPECT_THAT(h, Not(HasSubstr("to_string")));
    EXPECT_THAT(h,
                HasSubstr(column_block("mood", "::std::string", "mood", "mood", false, 0, false)));
}

TEST(GeneratePostgresHeader, TypeOverridesReplaceTheMapping) {
    header_options options;
    options.ns = "app::db";
    options.type_overrides["everything.price"] = "long double";
    const std::string h = generate_header(postgres_schema(), options);
    EXPECT_THAT(h, HasSubstr(column_block("price", "long double", "price", "numeric(10,2)", false,
                                          0, false)));
}

// ---- `strata header` -------------------------------------------------------

class HeaderCommand : public ::testing::Test {
  protected:
    scratch_directory dir{"strata-schema-header-cli"};
    fs::path header = dir / "include/app/db_schema.hpp";

    void SetUp() override {
        strata::test::write_file(
            dir / "migrations/0001_users/up.sql",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
        strata::test::write_file(dir / "migrations/0001_users/down.sql", "DROP TABLE users;\n");
    }

    strata::test::process_result header_command() const {
        strata::test::process_spec spec;
        spec.argv = {STRATA_EXE,    "--dir",   "migrations", "header",
                     "--namespace", "app::db", "--out",      header.string()};
        spec.cwd = dir.path();
        spec.env["DATABASE_URL"] = std::nullopt;
        return strata::test::run_process(spec);
    }
};

TEST_F(HeaderCommand, UnchangedSchemaLeavesBytesAndMtimeAlone) {
    auto first = header_command();
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    EXPECT_EQ(first.out, "wrote " + header.string() + "\n");
    const std::string bytes = strata::test::read_file(header);
    EXPECT_THAT(bytes, HasSubstr("namespace app::db {"));
    EXPECT_THAT(bytes, HasSubstr("schema_version = \"0001\";"));
    EXPECT_THAT(bytes, HasSubstr("static constexpr ::std::string_view sql_name = \"email\";"));
    const auto old_time = an_hour_ago();
    fs::last_write_time(header, old_time);

    auto second = header_command();
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_EQ(second.out, "unchanged " + header.string() + "\n");
    EXPECT_EQ(strata::test::read_file(header), bytes);
    EXPECT_EQ(fs::last_write_time(header), old_time);

    // Editing a migration without changing the schema it produces changes nothing.
    strata::test::write_file(dir / "migrations/0001_users/up.sql",
                             "-- the users\ncreate table users (\n    id integer primary key,\n"
                             "    email text not null\n);\n");
    auto third = header_command();
    ASSERT_EQ(third.exit_code, 0) << third.describe();
    EXPECT_EQ(third.out, "unchanged " + header.string() + "\n");
    EXPECT_EQ(strata::test::read_file(header), bytes);
    EXPECT_EQ(fs::last_write_time(header), old_time);
}

TEST_F(HeaderCommand, ChangedSchemaRewritesTheHeader) {
    ASSERT_EQ(header_command().exit_code, 0);
    const std::string before = strata::test::read_file(header);
    const auto old_time = an_hour_ago();
    fs::last_write_time(header, old_time);

    strata::test::write_file(
        dir / "migrations/0001_users/up.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, theme TEXT);\n");
    auto r = header_command();
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "wrote " + header.string() + "\n");
    const std::string after = strata::test::read_file(header);
    EXPECT_NE(after, before);
    EXPECT_THAT(after, HasSubstr("static constexpr ::std::string_view sql_name = \"theme\";"));
    EXPECT_NE(fs::last_write_time(header), old_time);

    // A new migration: new schema version, rewritten again.
    strata::test::write_file(dir / "migrations/0002_posts/up.sql",
                             "CREATE TABLE posts (id INTEGER);\n");
    strata::test::write_file(dir / "migrations/0002_posts/down.sql", "DROP TABLE posts;\n");
    fs::last_write_time(header, old_time);
    r = header_command();
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out, "wrote " + header.string() + "\n");
    EXPECT_THAT(strata::test::read_file(header), HasSubstr("schema_version = \"0002\";"));
    EXPECT_THAT(strata::test::read_file(header), HasSubstr("\nnamespace posts {\n"));
    EXPECT_NE(fs::last_write_time(header), old_time);
}

}  // namespace
