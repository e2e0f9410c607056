#include "migrations/checksum.hpp"

#include <gtest/gtest.h>

#include <string>

#include "process.hpp"
#include "strata/migration_set.hpp"

namespace {

using strata::script_checksum;
using strata::sha256_hex;

TEST(Checksum, Sha256KnownVectors) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Checksum, Sha256OfLongInput) {
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Checksum, ScriptChecksumOfLfTextIsItsSha256) {
    const std::string sql = "CREATE TABLE users (id INTEGER PRIMARY KEY);\n";
    EXPECT_EQ(script_checksum(sql), sha256_hex(sql));
    EXPECT_EQ(script_checksum(sql).size(), 64u);
}

TEST(Checksum, CrlfEqualsLf) {
    const std::string lf =
        "-- users\nCREATE TABLE users (id INTEGER);\nCREATE INDEX i ON users (id);\n";
    const std::string crlf = strata::test::to_crlf(lf);
    ASSERT_NE(lf, crlf);
    EXPECT_EQ(script_checksum(crlf), script_checksum(lf));
    EXPECT_EQ(script_checksum(crlf), sha256_hex(lf));
}

TEST(Checksum, CrlfAtEdges) {
    EXPECT_EQ(script_checksum("\r\n"), sha256_hex("\n"));
    EXPECT_EQ(script_checksum("\r\n\r\n"), sha256_hex("\n\n"));
    EXPECT_EQ(script_checksum("x\r\n"), sha256_hex("x\n"));
    EXPECT_EQ(script_checksum("\r\nx"), sha256_hex("\nx"));
    EXPECT_EQ(script_checksum(""), sha256_hex(""));
}

TEST(Checksum, LoneCarriageReturnIsKept) {
    // Only CRLF pairs are normalised; a lone CR is content.
    EXPECT_EQ(script_checksum("a\rb"), sha256_hex("a\rb"));
    EXPECT_NE(script_checksum("a\rb"), sha256_hex("ab"));
    EXPECT_EQ(script_checksum("a\r"), sha256_hex("a\r"));
    EXPECT_EQ(script_checksum("a\r\r\nb"), sha256_hex("a\r\nb"));
}

TEST(Checksum, DiffersWhenContentDiffers) {
    EXPECT_NE(script_checksum("CREATE TABLE a (x INTEGER);\n"),
              script_checksum("CREATE TABLE a (x TEXT);\n"));
    EXPECT_NE(script_checksum("CREATE TABLE a (x INTEGER);\n"),
              script_checksum("CREATE TABLE a (x INTEGER);\n\n"));
    EXPECT_NE(script_checksum("a\nb"), script_checksum("ab"));
}

TEST(Checksum, MigrationReadFromCrlfFileMatchesLfFile) {
    const std::string up = "-- strata:no-transaction\nCREATE TABLE t (x INTEGER);\n";
    const std::string down = "DROP TABLE t;\n";
    strata::test::scratch_directory lf_dir;
    strata::test::scratch_directory crlf_dir;
    strata::test::write_file(lf_dir / "1_t.up.sql", up);
    strata::test::write_file(lf_dir / "1_t.down.sql", down);
    strata::test::write_file(crlf_dir / "1_t.up.sql", strata::test::to_crlf(up));
    strata::test::write_file(crlf_dir / "1_t.down.sql", strata::test::to_crlf(down));

    auto lf = strata::read_migration_set(lf_dir.path());
    auto crlf = strata::read_migration_set(crlf_dir.path());
    ASSERT_TRUE(lf.ok());
    ASSERT_TRUE(crlf.ok());
    ASSERT_EQ(lf.migrations.size(), 1u);
    ASSERT_EQ(crlf.migrations.size(), 1u);
    EXPECT_EQ(lf.migrations[0].checksum, sha256_hex(up));
    EXPECT_EQ(crlf.migrations[0].checksum, lf.migrations[0].checksum);
    // The directive is read through the CRs too.
    EXPECT_FALSE(crlf.migrations[0].run_in_transaction);
}

TEST(Checksum, DbmateMigrationReadFromCrlfFileMatchesLfFile) {
    const std::string text =
        "-- migrate:up\nCREATE TABLE t (x INTEGER);\n\n-- migrate:down\nDROP TABLE t;\n";
    strata::test::scratch_directory lf_dir;
    strata::test::scratch_directory crlf_dir;
    strata::test::write_file(lf_dir / "20250120120000_t.sql", text);
    strata::test::write_file(crlf_dir / "20250120120000_t.sql", strata::test::to_crlf(text));

    auto lf = strata::read_migration_set(lf_dir.path());
    auto crlf = strata::read_migration_set(crlf_dir.path());
    ASSERT_TRUE(lf.ok());
    ASSERT_TRUE(crlf.ok());
    ASSERT_EQ(lf.migrations.size(), 1u);
    ASSERT_EQ(crlf.migrations.size(), 1u);
    EXPECT_EQ(lf.migrations[0].checksum, sha256_hex("CREATE TABLE t (x INTEGER);\n\n"));
    EXPECT_EQ(crlf.migrations[0].checksum, lf.migrations[0].checksum);
}

}  // namespace
