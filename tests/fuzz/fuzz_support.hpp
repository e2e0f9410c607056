// Shared by the libFuzzer targets of tests/fuzz: checking an invariant, and
// reading the input in pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

// A broken invariant aborts, which libFuzzer reports as a crash and saves
// the input as crash-<sha1> (see tests/fuzz/run-fuzz).
#define FUZZ_CHECK(condition, ...)                                                                 \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            ::strata::fuzz::explain(__VA_ARGS__);                                                  \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace strata::fuzz {

inline void explain() {}
inline void explain(const std::string& what) {
    std::fprintf(stderr, "  %s\n", what.c_str());
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// `text` cut at every `separator`.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return parts;
        text.remove_prefix(at + 1);
    }
}

inline std::size_t count(std::string_view haystack, std::string_view needle) {
    if (needle.empty())
        return 0;
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string_view::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

inline bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

inline int line_count(std::string_view text) {
    int n = 1;
    for (char c : text)
        n += c == '\n' ? 1 : 0;
    return n;
}

// A printable rendering of `text` for failure messages.
inline std::string shown(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
            out += buffer;
        }
    }
    return out;
}

}  // namespace strata::fuzz
