#include "model/EnsembleManifest.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "Error.h"
#include "io/SmallTextFile.h"
#include "model/ModelMeta.h"

namespace ue {
namespace fs = std::filesystem;

bool looksLikeEnsembleManifest(const std::string& path) {
    if (fs::path(path).extension() == ".json") {
        return true;
    }
    // Opening a named pipe to peek would block until a writer came; whatever is not a regular
    // file is left to the model loader, which refuses it with what it is.
    if (!whyNotARegularFile(path).empty()) {
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    char c = 0;
    while (in.get(c)) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            return c == '{';
        }
    }
    return false;
}

bool declaresEnsembleFormat(const std::string& path) {
    std::string text;
    try {
        text = readSmallTextFile(path, kMaxMetaBytes, "ensemble manifest");
    } catch (const Error&) {
        return false;
    }
    const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
        return false;
    }
    const auto format = json.find("format");
    return format != json.end() && format->is_string() && *format == kEnsembleFormat;
}

EnsembleManifest loadEnsembleManifest(const std::string& path) {
    const auto fail = [&path](const std::string& field, const std::string& problem) {
        return ModelError(path + ": ensemble manifest field '" + field + "' " + problem);
    };
    const std::string text =
        readSmallTextFileOr<ModelError>(path, kMaxMetaBytes, "ensemble manifest");
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        // A model file whose first byte happens to be '{' is sent here by its first byte alone;
        // it is neither kind, and the user who gave a .pt should read that first.
        const bool namedAsManifest = fs::path(path).extension() == ".json";
        throw ModelError(path +
                         (namedAsManifest
                              ? ": not valid JSON (an ensemble manifest was expected): "
                              : ": not a TorchScript model, and not the JSON of an ensemble "
                                "manifest (it starts with '{'): ") +
                         e.what());
    }
    if (!json.is_object()) {
        throw ModelError(path + ": an ensemble manifest must be a JSON object");
    }
    const auto format = json.find("format");
    if (format == json.end() || !format->is_string() || *format != kEnsembleFormat) {
        throw fail("format", std::string("must be \"") + kEnsembleFormat + "\"");
    }
    EnsembleManifest manifest;
    const auto name = json.find("name");
    if (name == json.end() || !name->is_string() || name->get<std::string>().empty()) {
        throw fail("name", "must be a non-empty string");
    }
    manifest.name = name->get<std::string>();
    if (const auto description = json.find("description"); description != json.end()) {
        if (!description->is_string()) {
            throw fail("description", "must be a string");
        }
        manifest.description = description->get<std::string>();
    }
    const auto members = json.find("members");
    if (members == json.end() || !members->is_array() || members->empty()) {
        throw fail("members", "must be a non-empty list of model bundle paths");
    }
    if (members->size() > kMaxEnsembleMembers) {
        throw fail("members", "lists " + std::to_string(members->size()) + " models; at most " +
                                  std::to_string(kMaxEnsembleMembers));
    }
    const fs::path folder = fs::path(path).parent_path();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < members->size(); ++i) {
        const auto& member = (*members)[i];
        const std::string field = "members[" + std::to_string(i) + "]";
        if (!member.is_string() || member.get<std::string>().empty()) {
            throw fail(field, "must be a non-empty path string");
        }
        const fs::path relative = member.get<std::string>();
        const std::string resolved =
            (relative.is_absolute() ? relative : folder / relative).lexically_normal().string();
        if (!seen.insert(resolved).second) {
            throw fail(field, "repeats " + member.get<std::string>() +
                                  " (each member must be a different model)");
        }
        std::error_code ec;
        if (looksLikeEnsembleManifest(resolved) && fs::exists(resolved, ec)) {
            throw fail(field, "is itself an ensemble manifest; members must be model bundles");
        }
        manifest.memberPaths.push_back(resolved);
    }
    return manifest;
}

}  // namespace ue
