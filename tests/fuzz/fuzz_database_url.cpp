// The database URL parser (src/database_url.cpp) and its password redaction.
//
// The input's first byte picks a mode. Raw: the rest is the URL. Built: the
// rest is `user NUL password NUL rest` and the URL is
// `postgres://user:password@rest` (or `postgresql://`), so that the password
// as written is known.
//
// Invariants: parse_database_url throws only strata::error, and its message
// never holds the password; a sqlite URL names a file or memory; a postgres
// URL's parameters are libpq's; redact_url() never shows the password, as
// libpq reads it or as the URL spells it; redact_secrets() masks the password
// as libpq reads it in any text; postgres_conninfo() round-trips through
// libpq. A password is only checked where it cannot be found in the rest of
// the URL (a password `a` would be everywhere).
#include <libpq-fe.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "strata/error.hpp"
#include "strata/postgres/database_url.hpp"

using strata::fuzz::contains;
using strata::fuzz::count;
using strata::fuzz::shown;

namespace {

std::string percent_decoded(std::string_view text) {
    auto hex = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() + 0 && hex(text[i + 1]) >= 0 &&
            hex(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

// libpq's reading of a URL: its parameters, or nullopt when it refuses it.
std::optional<std::map<std::string, std::string>> libpq_parameters(const std::string& url) {
    char* message = nullptr;
    std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
        PQconninfoParse(url.c_str(), &message), PQconninfoFree);
    PQfreemem(message);
    if (!options)
        return std::nullopt;
    std::map<std::string, std::string> parameters;
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o)
        if (o->val)
            parameters[o->keyword] = o->val;
    return parameters;
}

std::size_t occurrences(std::string_view text, std::string_view part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1))
        ++count;
    return count;
}

// Whether `secret` is worth checking in texts made from `url`: long enough,
// no '*' of the mask, nowhere in `others` (the URL without the password),
// raw or decoded, and once only in `url`. libpq may read a password shorter
// than the one written (`:sql@@...postgresql://`): the rest of what was
// written, which libpq reads as host or query, may spell it again.
bool distinctive(const std::string& secret, std::string_view others, std::string_view url) {
    return secret.size() >= 3 && secret.find('*') == std::string::npos &&
           secret.find('\0') == std::string::npos && !contains(others, secret) &&
           !contains(percent_decoded(others), secret) && occurrences(url, secret) <= 1 &&
           occurrences(percent_decoded(url), secret) <= 1;
}

// `text` with each `part` in it replaced by a byte no password holds.
std::string without(std::string text, const std::string& part) {
    if (part.empty())
        return text;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        text.replace(at, part.size(), std::string(1, '\0'));
    return text;
}

void check_hidden(const std::string& text, const std::string& secret, const std::string& url,
                  const char* what) {
    FUZZ_CHECK(!contains(text, secret), std::string(what) + " shows the password '" +
                                            shown(secret) + "' of '" + shown(url) + "': '" +
                                            shown(text) + "'");
}

// `secrets`: the passwords that must not show, with `others`, the URL
// without them, to tell which are distinctive.
void check_url(const std::string& url, std::vector<std::string> secrets, std::string others) {
    const auto libpq =
        strata::fuzz::contains(url, "postgres") ? libpq_parameters(url) : std::nullopt;
    if (libpq && libpq->count("password"))
        secrets.push_back(libpq->at("password"));

    const std::string redacted = strata::redact_url(url);
    std::string message;
    try {
        const strata::database_url parsed = strata::parse_database_url(url);
        FUZZ_CHECK(parsed.text == url);
        if (parsed.backend == strata::backend_kind::sqlite) {
            FUZZ_CHECK(parsed.memory != !parsed.path.empty(), shown(url));
            FUZZ_CHECK(parsed.parameters.empty());
        } else {
            FUZZ_CHECK(libpq && parsed.parameters == *libpq, shown(url));
            // The connection string names the same parameters.
            const auto conninfo = strata::postgres_conninfo(parsed);
            const auto reread = libpq_parameters(conninfo);
            FUZZ_CHECK(reread.has_value(), shown(conninfo));
            for (const auto& [key, value] : parsed.parameters)
                FUZZ_CHECK(reread->count(key) && reread->at(key) == value,
                           key + " of '" + shown(conninfo) + "'");
        }
    } catch (const strata::error& e) {
        FUZZ_CHECK(e.kind() == strata::error_kind::usage, e.what());
        message = e.what();
    }

    for (const auto& secret : secrets) {
        if (!distinctive(secret, others, url))
            continue;
        check_hidden(redacted, secret, url, "redact_url");
        // The messages' own words (`invalid postgres url`, libpq's English) may
        // spell a password of letters: only one with another byte is checked.
        // The error quotes redact_url()'s text, checked above; what it says
        // besides is checked on its own, lest the URL's end and the words
        // after it spell the password by chance.
        if (secret.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ "
                                     "'\":/.,=()[]-_6") != std::string::npos)
            check_hidden(without(message, redacted), secret, url, "the parse error");
        if (libpq && libpq->count("password") && libpq->at("password") == secret)
            check_hidden(strata::redact_secrets("failed: " + secret + ".", url), secret, url,
                         "redact_secrets");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string_view input = strata::fuzz::as_text(data + 1, size - 1);
    if ((data[0] & 1) == 0) {
        const std::string url(input);
        // The password libpq reads is checked against the URL without it.
        std::string others = url;
        if (const auto libpq = libpq_parameters(url); libpq && libpq->count("password")) {
            // Spelt once at most: else which spelling is the password is unknown.
            const std::string& password = libpq->at("password");
            if (count(url, password) > 1)
                return 0;
            if (const auto at = others.find(password); !password.empty() && at != std::string::npos)
                others.replace(at, password.size(), "\x01");
        }
        check_url(url, {}, others);
        return 0;
    }
    const auto parts = strata::fuzz::split(input, '\0');
    if (parts.size() < 3)
        return 0;
    const std::string scheme = (data[0] & 2) ? "postgresql://" : "postgres://";
    const std::string user(parts[0]);
    const std::string password(parts[1]);
    const std::string rest(parts[2]);
    const std::string url = scheme + user + ":" + password + "@" + rest;
    // Checked when libpq reads the password as written, or cannot read the
    // URL at all but user and password hold none of `@/?#` (the error must not
    // show it either); otherwise what was written is no password to anyone.
    std::vector<std::string> secrets = {password, percent_decoded(password)};
    if (const auto libpq = libpq_parameters(url)) {
        const auto read = libpq->find("password");
        if (read == libpq->end() || (read->second != password && read->second != secrets[1]))
            secrets.clear();
    } else if (password.find_first_of("@/?#") != std::string::npos ||
               user.find_first_of("@/?#:") != std::string::npos) {
        secrets.clear();
    }
    check_url(url, secrets, scheme + user + ":\x01@" + rest);
    return 0;
}
