// Writes the generated header of a PostgreSQL schema built by hand, for
// postgres_header_main.cpp to compile: `strata header` cannot read a
// PostgreSQL schema yet, and the type mapping should be compiled for real
// without a server. The model is what introspection produces: format_type()
// text, enums in `types`.
//
// Usage: strata_postgres_header_gen <header>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "strata/schema.hpp"
#include "tooling/codegen/header.hpp"

namespace {

strata::column column(std::string name, std::string type, bool not_null = false) {
    strata::column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.not_null = not_null;
    return c;
}

strata::user_type enum_type(std::string name, std::vector<std::string> labels) {
    strata::user_type t;
    t.name = std::move(name);
    t.kind = "enum";
    t.labels = std::move(labels);
    return t;
}

strata::table everything() {
    strata::table t;
    t.name = "everything";
    auto id = column("id", "bigint", true);
    id.primary_key = 1;
    id.identity = "BY DEFAULT";
    t.columns = {id,
                 column("small", "smallint", true),
                 column("medium", "integer"),
                 column("flag", "boolean", true),
                 column("note", "text"),
                 column("code", "character varying(40)", true),
                 column("code_any", "character varying"),
                 column("initials", "character(3)"),
                 column("ratio", "real", true),
                 column("precise", "double precision"),
                 column("price", "numeric(10,2)", true),
                 column("amount", "numeric"),
                 column("bytes", "bytea"),
                 column("uid", "uuid"),
                 column("doc", "json"),
                 column("docb", "jsonb"),
                 column("day", "date"),
                 column("at", "time without time zone"),
                 column("at_tz", "time with time zone"),
                 column("stamp", "timestamp without time zone"),
                 column("created", "timestamp(3) with time zone", true),
                 column("span", "interval"),
                 column("addr", "inet"),
                 column("email", "citext"),
                 column("scores", "integer[]", true),
                 column("labels", "text[]"),
                 column("shorts", "smallint[]"),
                 column("mood", "mood", true),
                 column("moods", "mood[]"),
                 column("elsewhere", "other.mood"),
                 column("status", "\"Status\""),
                 column("class", "class")};
    t.columns[4].default_sql = "'none'::text";
    return t;
}

// Named like the enums and the enum helpers: the enums yield.
strata::table named_like_an_enum(std::string name) {
    strata::table t;
    t.name = std::move(name);
    t.columns = {column("x", "mood", true)};
    return t;
}

strata::schema postgres_schema() {
    strata::schema s;
    s.backend = strata::backend_kind::postgres;
    s.tables = {everything(), named_like_an_enum("mood"), named_like_an_enum("to_string")};
    s.types = {
        enum_type("Status", {"in-progress", "Done", "delete", "123", "in progress", "in_progress",
                             "", "say \"hi\"\n", "Status", "value", "text"}),
        enum_type("class", {"new", "class"}),
        enum_type("mood", {"sad", "ok", "happy"}),
        enum_type("nothing", {}),
        enum_type("to_string", {"a"}),
    };
    strata::user_type domain;
    domain.name = "positive";
    domain.kind = "domain";
    domain.sql = "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);";
    s.types.push_back(domain);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " <header>\n";
        return 2;
    }
    try {
        strata::header_options options;
        options.ns = "pg::db";
        options.schema_version = "0001";
        options.source = "postgres_header_gen";
        // Always written: the build's custom command needs a fresh output.
        const std::filesystem::path path(argv[1]);
        if (path.has_parent_path())
            std::filesystem::create_directories(path.parent_path());
        std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
        out << strata::generate_header(postgres_schema(), options);
        if (!out.flush()) {
            std::cerr << "cannot write " << argv[1] << "\n";
            return 1;
        }
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
