// The generated header of the reference set, used against a database that
// the real strata binary migrated.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "process.hpp"
#include "strata/reference_schema.hpp"

namespace ref = strata::reference;

namespace {

std::string str(std::string_view s) {
    return std::string(s);
}

class ReferenceSchema : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = strata::test::run_process(
            {{STRATA_EXE, "--dir", STRATA_REFERENCE_SET, "--url", "sqlite:" + db_path(), "up"}});
        ASSERT_EQ(r.exit_code, 0) << r.describe();
    }
    std::string db_path() const { return (dir_.path() / "reference.db").string(); }

    strata::test::scratch_directory dir_;
};

static_assert(std::is_same_v<ref::users::id::value_type, std::int64_t>);
static_assert(std::is_same_v<decltype(ref::users::row::display_name), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(ref::users::row::theme), std::string>);
static_assert(!ref::users::theme::is_nullable && ref::users::theme::has_default);
static_assert(ref::preferences::user_id::pk_position == 1 &&
              ref::preferences::key::pk_position == 2);
static_assert(ref::events::column_names.size() == 5);

TEST_F(ReferenceSchema, NamesOfTheHeaderMatchTheMigratedDatabase) {
    SQLite::Database db(db_path(), SQLite::OPEN_READWRITE);
    EXPECT_EQ(ref::schema_version, "20250210080000");
    for (auto table : ref::tables) {
        SQLite::Statement q(db,
                            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?");
        q.bind(1, str(table));
        ASSERT_TRUE(q.executeStep());
        EXPECT_EQ(q.getColumn(0).getInt(), 1) << table;
    }
    std::string listed;
    SQLite::Statement columns(db, "SELECT name FROM pragma_table_info('users') ORDER BY cid");
    while (columns.executeStep())
        listed += columns.getColumn(0).getString() + " ";
    std::string generated;
    for (auto name : ref::users::column_names)
        generated += str(name) + " ";
    EXPECT_EQ(generated, listed);
}

TEST_F(ReferenceSchema, RowsRoundTripThroughTheRowStruct) {
    SQLite::Database db(db_path(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = ON");
    SQLite::Statement insert(db, "INSERT INTO " + str(ref::users::table_name) + " (" +
                                     str(ref::users::email::sql_name) +
                                     ") VALUES ('ada@example.com')");
    insert.exec();
    SQLite::Statement select(db, "SELECT id, email, display_name, created_at, theme FROM users");
    ASSERT_TRUE(select.executeStep());
    ref::users::row user;
    user.id = select.getColumn(0).getInt64();
    user.email = select.getColumn(1).getString();
    if (!select.getColumn(2).isNull())
        user.display_name = select.getColumn(2).getString();
    user.created_at = select.getColumn(3).getInt64();
    user.theme = select.getColumn(4).getString();
    EXPECT_EQ(user.email, "ada@example.com");
    EXPECT_FALSE(user.display_name.has_value());
    EXPECT_EQ(user.theme, "light");
    EXPECT_GT(user.created_at, 0);
}

}  // namespace
