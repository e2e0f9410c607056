#include "migrations/checksum.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>

#include "strata/error.hpp"

namespace strata {

namespace {

struct digest_deleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

class digest {
  public:
    explicit digest(const EVP_MD* algorithm = EVP_sha256()) : ctx_(EVP_MD_CTX_new()) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), algorithm, nullptr) != 1)
            throw error(error_kind::check, "cannot initialise a digest");
    }
    void update(std::string_view data) {
        if (!data.empty() && EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1)
            throw error(error_kind::check, "digest failed");
    }
    std::string hex() {
        std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
        unsigned int size = 0;
        if (EVP_DigestFinal_ex(ctx_.get(), md.data(), &size) != 1)
            throw error(error_kind::check, "digest failed");
        static const char digits[] = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < size; ++i) {
            out.push_back(digits[md[i] >> 4]);
            out.push_back(digits[md[i] & 0xf]);
        }
        return out;
    }

  private:
    std::unique_ptr<EVP_MD_CTX, digest_deleter> ctx_;
};

}  // namespace

std::string sha256_hex(std::string_view data) {
    digest h;
    h.update(data);
    return h.hex();
}

std::string sha384_hex(std::string_view data) {
    digest h(EVP_sha384());
    h.update(data);
    return h.hex();
}

std::string script_checksum(std::string_view script) {
    // Hash the runs between CRs so no normalised copy of a large script is made.
    digest h;
    std::size_t start = 0;
    for (std::size_t i = 0; i < script.size(); ++i) {
        if (script[i] == '\r' && i + 1 < script.size() && script[i + 1] == '\n') {
            h.update(script.substr(start, i - start));
            start = i + 1;
        }
    }
    h.update(script.substr(start));
    return h.hex();
}

}  // namespace strata
