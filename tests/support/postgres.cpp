#include "postgres.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include <pqxx/pqxx>

namespace strata::test {

std::string postgres_server_url() {
    if (const char* url = std::getenv("STRATA_TEST_POSTGRES_URL"); url && *url)
        return url;
    std::ifstream in(STRATA_TEST_POSTGRES_URL_FILE);
    std::string url;
    if (in && std::getline(in, url) && !url.empty())
        return url;
    throw std::runtime_error(
        "no PostgreSQL test server: set STRATA_TEST_POSTGRES_URL or run the tests through ctest, "
        "whose fixture postgres_server starts one (" STRATA_TEST_POSTGRES_URL_FILE ")");
}

std::string with_database(const std::string& url, const std::string& database) {
    const auto authority = url.find("://");
    const auto path = url.find('/', authority == std::string::npos ? 0 : authority + 3);
    const auto query = url.find('?');
    const std::string head = url.substr(0, std::min(path, query));
    const std::string tail = query == std::string::npos ? "" : url.substr(query);
    return head + "/" + database + tail;
}

namespace {

std::string unique_name(const std::string& prefix) {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
           std::to_string(random() % 100000);
}

}  // namespace

postgres_test_database::postgres_test_database(const std::string& prefix)
    : name_(unique_name(prefix)) {
    const std::string server = postgres_server_url();
    pqxx::connection admin(server);
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + tx.quote_name(name_) + " TEMPLATE template0");
    url_ = with_database(server, name_);
}

postgres_test_database::~postgres_test_database() {
    try {
        pqxx::connection admin(postgres_server_url());
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
    } catch (...) {
        // The server may be gone already; the fixture removes its data directory.
    }
}

void postgres_test_database::exec(const std::string& sql) const {
    pqxx::connection c(url_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
}

std::string postgres_test_database::query_value(const std::string& sql) const {
    pqxx::connection c(url_);
    pqxx::nontransaction tx(c);
    const pqxx::result r = tx.exec(sql);
    if (r.empty() || r[0][0].is_null())
        return "";
    return r[0][0].c_str();
}

}  // namespace strata::test
