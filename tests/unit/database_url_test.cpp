#include "strata/postgres/database_url.hpp"

#include <gtest/gtest.h>

#include <string>

#include "strata/error.hpp"

namespace {

using strata::backend_kind;
using strata::parse_database_url;
using strata::redact_url;

TEST(DatabaseUrl, SqliteRelativePath) {
    auto url = parse_database_url("sqlite:path/to.db");
    EXPECT_EQ(url.backend, backend_kind::sqlite);
    EXPECT_EQ(url.path, "path/to.db");
    EXPECT_FALSE(url.memory);
    EXPECT_EQ(url.text, "sqlite:path/to.db");
}

TEST(DatabaseUrl, SqliteWithSlashes) {
    auto url = parse_database_url("sqlite://data/app.db");
    EXPECT_EQ(url.backend, backend_kind::sqlite);
    EXPECT_EQ(url.path, "data/app.db");
    EXPECT_FALSE(url.memory);
}

TEST(DatabaseUrl, SqliteAbsolutePath) {
    EXPECT_EQ(parse_database_url("sqlite:///var/lib/app.db").path, "/var/lib/app.db");
    EXPECT_EQ(parse_database_url("sqlite:/var/lib/app.db").path, "/var/lib/app.db");
}

TEST(DatabaseUrl, SqliteQueryIsNotPartOfThePath) {
    auto url = parse_database_url("sqlite:app.db?mode=rwc");
    EXPECT_EQ(url.path, "app.db");
    EXPECT_EQ(url.text, "sqlite:app.db?mode=rwc");
}

TEST(DatabaseUrl, SqliteSynchronousIsReadFromTheQuery) {
    EXPECT_EQ(parse_database_url("sqlite:app.db").synchronous, "");
    EXPECT_EQ(parse_database_url("sqlite:app.db?mode=rwc").synchronous, "");
    const auto url = parse_database_url("sqlite:app.db?mode=rwc&synchronous=NORMAL");
    EXPECT_EQ(url.synchronous, "normal");
    EXPECT_EQ(url.path, "app.db");
    EXPECT_EQ(parse_database_url("sqlite::memory:?synchronous=off").synchronous, "off");
    try {
        parse_database_url("sqlite:app.db?synchronous=sometimes");
        FAIL() << "accepted synchronous=sometimes";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        EXPECT_NE(std::string(e.what()).find("synchronous must be off, normal, full or extra"),
                  std::string::npos)
            << e.what();
    }
}

TEST(DatabaseUrl, SqliteMemory) {
    for (const char* text : {"sqlite::memory:", "sqlite://:memory:"}) {
        auto url = parse_database_url(text);
        EXPECT_EQ(url.backend, backend_kind::sqlite) << text;
        EXPECT_TRUE(url.memory) << text;
        EXPECT_EQ(url.path, "") << text;
    }
}

TEST(DatabaseUrl, SqliteWithoutPathIsAUsageError) {
    for (const char* text : {"sqlite:", "sqlite://"}) {
        try {
            parse_database_url(text);
            ADD_FAILURE() << "expected strata::error for " << text;
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::usage) << text;
        }
    }
}

TEST(DatabaseUrl, Postgres) {
    for (const char* text :
         {"postgres://user:secret@localhost:5432/app", "postgresql://user@db.example/app"}) {
        auto url = parse_database_url(text);
        EXPECT_EQ(url.backend, backend_kind::postgres) << text;
        EXPECT_EQ(url.text, text);
        EXPECT_FALSE(url.memory);
    }
}

TEST(DatabaseUrl, UnsupportedSchemeIsAUsageErrorWithoutThePassword) {
    try {
        parse_database_url("mysql://root:hunter2@localhost/app");
        FAIL() << "expected strata::error";
    } catch (const strata::error& e) {
        EXPECT_EQ(e.kind(), strata::error_kind::usage);
        const std::string message = e.what();
        EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
        EXPECT_NE(message.find("mysql://root:***@localhost/app"), std::string::npos) << message;
    }
}

TEST(DatabaseUrl, PlainPathIsNotAUrl) {
    EXPECT_THROW(parse_database_url("app.db"), strata::error);
    EXPECT_THROW(parse_database_url(""), strata::error);
    EXPECT_THROW(parse_database_url("SQLITE:app.db"), strata::error);
}

TEST(RedactUrl, ReplacesThePassword) {
    EXPECT_EQ(redact_url("postgres://user:secret@localhost:5432/app"),
              "postgres://user:***@localhost:5432/app");
    EXPECT_EQ(redact_url("postgresql://u:p@h/db?sslmode=require"),
              "postgresql://u:***@h/db?sslmode=require");
}

TEST(RedactUrl, PasswordWithAnAtSign) {
    EXPECT_EQ(redact_url("postgres://user:p@ss@host:5432/db"), "postgres://user:***@host:5432/db");
}

TEST(RedactUrl, PasswordWithoutPath) {
    EXPECT_EQ(redact_url("postgres://user:secret@host"), "postgres://user:***@host");
}

TEST(RedactUrl, NothingToRedact) {
    EXPECT_EQ(redact_url("postgres://user@host:5432/db"), "postgres://user@host:5432/db");
    EXPECT_EQ(redact_url("postgres://host:5432/db"), "postgres://host:5432/db");
    EXPECT_EQ(redact_url("sqlite:path/to.db"), "sqlite:path/to.db");
    EXPECT_EQ(redact_url("sqlite::memory:"), "sqlite::memory:");
    // An '@' after the authority is not a credential separator.
    EXPECT_EQ(redact_url("postgres://host:5432/db?user=a@b"), "postgres://host:5432/db?user=a@b");
}

TEST(DatabaseUrl, PostgresParametersComeFromLibpq) {
    auto url = parse_database_url(
        "postgresql://app:s%40cret@db.example:6543/orders?sslmode=disable&application_name=deploy"
        "&options=-c%20search_path%3Dbilling");
    EXPECT_EQ(url.backend, backend_kind::postgres);
    EXPECT_EQ(url.parameters.at("user"), "app");
    EXPECT_EQ(url.parameters.at("password"), "s@cret");
    EXPECT_EQ(url.parameters.at("host"), "db.example");
    EXPECT_EQ(url.parameters.at("port"), "6543");
    EXPECT_EQ(url.parameters.at("dbname"), "orders");
    EXPECT_EQ(url.parameters.at("sslmode"), "disable");
    EXPECT_EQ(url.parameters.at("application_name"), "deploy");
    EXPECT_EQ(url.parameters.at("options"), "-c search_path=billing");
}

TEST(DatabaseUrl, PostgresWithoutPasswordLeavesItToLibpq) {
    // PGPASSWORD and ~/.pgpass apply when the URL has no password.
    auto url = parse_database_url("postgres://app@localhost/orders");
    EXPECT_EQ(url.parameters.count("password"), 0u);
    EXPECT_EQ(url.parameters.at("dbname"), "orders");
}

TEST(DatabaseUrl, MalformedPostgresUrlIsAUsageErrorWithoutThePassword) {
    for (const char* text :
         {"postgres://app:hunter2@localhost/db?no_such_parameter=1",
          "postgres://app:hunter2@localhost:notaport/db", "postgres://app:hunter2@[::1/db"}) {
        try {
            parse_database_url(text);
            ADD_FAILURE() << text << " was accepted";
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::usage) << text;
            EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("invalid postgres url"), std::string::npos)
                << e.what();
        }
    }
}

TEST(DatabaseUrl, ConninfoOverridesTheDatabaseAndQuotes) {
    auto url = parse_database_url("postgres://o'neil:pa%5Css@localhost:5432/orders");
    const auto conninfo = strata::postgres_conninfo(url, {{"dbname", "scratch_1"}});
    EXPECT_EQ(conninfo,
              "dbname='scratch_1' host='localhost' password='pa\\\\ss' port='5432' "
              "user='o\\'neil'");
}

TEST(DatabaseUrl, PasswordsWithUrlDelimitersAreRedactedWhole) {
    EXPECT_EQ(redact_url("postgres://app:se?cret@127.0.0.1:1/app"),
              "postgres://app:***@127.0.0.1:1/app");
    EXPECT_EQ(redact_url("postgres://app:se#cret@h/app"), "postgres://app:***@h/app");
    EXPECT_EQ(redact_url("postgres://app:se/cret@h/app"), "postgres://app:***@h/app");
    EXPECT_EQ(redact_url("postgres://app:a@b@h/app?sslmode=disable"),
              "postgres://app:***@h/app?sslmode=disable");
    // A password that looks like a query: libpq reads it as the password.
    EXPECT_EQ(redact_url("postgres://app:p?a=ss@h/app").find("a=ss"), std::string::npos);
}

TEST(DatabaseUrl, MessagesLoseEverySpellingOfThePassword) {
    const char* url = "postgres://app:p%41ss%zz@h/app?password=Qu%65ry";
    EXPECT_EQ(strata::redact_secrets("token \"p%41ss%zz\", pAss%zz, Qu%65ry and Query", url),
              "token \"***\", ***, *** and ***");
    for (const char* text :
         {"postgres://app:p%zzss@127.0.0.1/app", "postgres://app:se/cret@127.0.0.1:1/app",
          "postgres://app:x@127.0.0.1/app?password=p%zzss"}) {
        try {
            parse_database_url(text);
        } catch (const strata::error& e) {
            EXPECT_EQ(std::string(e.what()).find("zz"), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find("cret"), std::string::npos) << e.what();
        }
    }
}

// -- Found by the fuzz target tests/fuzz/fuzz_database_url.cpp (inputs kept in
// tests/fuzz/corpus/fuzz_database_url/) ---------------------------------------

// libpq quotes an unparsable URL in its message; without a password the
// redacted URL is the URL itself, and replacing it used to loop forever.
TEST(DatabaseUrlFuzzRegressions, UnparsableUrlWithoutPasswordIsReported) {
    for (const char* url : {"postgres://[::1/db", "postgres://:@[:U"}) {
        try {
            parse_database_url(url);
            ADD_FAILURE() << url << " parsed";
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::usage);
            EXPECT_NE(std::string(e.what()).find(url), std::string::npos) << e.what();
        }
    }
}

// libpq ends the credentials at the first '@' even after a '?': its password
// `p?a=ss` is masked in a driver's message too.
TEST(DatabaseUrlFuzzRegressions, RedactSecretsMasksThePasswordLibpqReads) {
    const std::string url = "postgres://app:p?a=ss@h/app";
    EXPECT_EQ(strata::redact_secrets("failed: p?a=ss.", url), "failed: ***.");
}

// When libpq cannot read the URL, the '@' after `?...=` still ends the
// password, as libpq would read it: the message does not show it.
TEST(DatabaseUrlFuzzRegressions, UnparsableUrlHidesPasswordWithQuestionMark) {
    const std::string url = "postgres://u:se?cr=et@host?broken";
    EXPECT_EQ(redact_url(url), "postgres://u:***@host?broken");
    try {
        parse_database_url(url);
        ADD_FAILURE() << "parsed";
    } catch (const strata::error& e) {
        EXPECT_EQ(std::string(e.what()).find("se?cr=et"), std::string::npos) << e.what();
    }
}

// libpq takes the password from the query when the authority's '@' comes
// after a '?': the redacted URL must not show that one either.
TEST(DatabaseUrlFuzzRegressions, RedactUrlMasksTheQueryPasswordLibpqReads) {
    const std::string url = "postgres://app:a@b?password=@h/app?sslmode<disable";
    EXPECT_EQ(redact_url(url).find("@h/app?sslmode<disable"), std::string::npos) << redact_url(url);
}

// With two '@', libpq may end the password at the first one and quote it.
TEST(DatabaseUrlFuzzRegressions, RedactSecretsMasksPasswordEndingAtAnyAt) {
    const std::string url = "postgres://app:%s41cret@host/db@x";
    EXPECT_EQ(strata::redact_secrets("invalid percent-encoded token: \"%s41cret\"", url),
              "invalid percent-encoded token: \"***\"");
}

// A libpq keyword string given where a URL belongs: the error names it
// without its password.
TEST(DatabaseUrlFuzzRegressions, KeywordStringIsRedacted) {
    EXPECT_EQ(redact_url("host=db password=hunter2"), "host=db password=***");
    try {
        parse_database_url("host=db password=hunter2");
        ADD_FAILURE() << "parsed";
    } catch (const strata::error& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    }
}

// libpq finds out about a port out of range only when connecting (exit 3);
// like a port that is not a number, it is bad input (exit 2).
TEST(DatabaseUrl, PortOutOfRangeIsAUsageError) {
    for (const char* text : {"postgres://app:hunter2@localhost:99999/db", "postgres://h:0/db",
                             "postgres://h1:5432,h2:65536/db", "postgres://h:123456789012/db"}) {
        try {
            parse_database_url(text);
            ADD_FAILURE() << text << " was accepted";
        } catch (const strata::error& e) {
            EXPECT_EQ(e.kind(), strata::error_kind::usage) << text;
            EXPECT_NE(std::string(e.what()).find("is out of range (1 to 65535)"), std::string::npos)
                << e.what();
            EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
        }
    }
}

TEST(DatabaseUrl, PortsInRangeAreAccepted) {
    for (const char* text : {"postgres://h:1/db", "postgres://h:65535/db", "postgres://h:000080/db",
                             "postgres://h1:5432,h2:5433/db", "postgres://h1,h2:5433/db"})
        EXPECT_NO_THROW(parse_database_url(text)) << text;
}

}  // namespace
