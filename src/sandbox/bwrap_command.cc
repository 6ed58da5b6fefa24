#include "sandbox/bwrap_command.h"

#include <filesystem>
#include <set>

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

constexpr char kHome[] = "/tmp/home";

// /etc files the toolchain needs: BLAS alternatives, the dynamic linker's
// cache, time zone, locale and certificates. No passwd, shadow or group.
const char* const kEtcFiles[] = {"/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf",
                                 "/etc/ld.so.conf.d", "/etc/localtime",   "/etc/ssl"};

bool Under(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

// Paths the sandbox provides itself: a named path there is not bound.
bool Provided(const std::string& path) {
  for (const char* dir : {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/proc", "/dev", "/etc"}) {
    if (Under(path, dir)) return true;
  }
  return false;
}

class Args {
 public:
  void Add(std::initializer_list<std::string> args) {
    for (const auto& a : args) argv_.push_back(a);
  }
  // Creates every missing parent of `path` traversable by anyone (bubblewrap
  // makes missing parents 0700, which the dropped uid cannot enter).
  void Parents(const std::string& path) {
    std::vector<std::string> chain;
    for (fs::path p = fs::path(path).parent_path(); p != p.root_path() && !p.empty();
         p = p.parent_path()) {
      chain.push_back(p.string());
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (*it == "/tmp" || *it == kHome || made_.count(*it)) continue;
      made_.insert(*it);
      Add({"--perms", "0755", "--dir", *it});
    }
  }
  std::vector<std::string> Take() { return std::move(argv_); }

 private:
  std::vector<std::string> argv_;
  std::set<std::string> made_;
};

}  // namespace

std::string SandboxArgument(const std::string& arg, const std::string& workspace) {
  if (arg.empty() || arg[0] != '/') return arg;
  std::string normal = fs::path(arg).lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  if (Under(normal, workspace)) return kSandboxWorkspace + normal.substr(workspace.size());
  return normal;
}

std::vector<std::string> SandboxEnvironment(const std::vector<std::string>& env,
                                            const std::string& workspace) {
  std::vector<std::string> out;
  bool nousersite = false;
  for (const std::string& e : env) {
    size_t eq = e.find('=');
    std::string name = e.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : e.substr(eq + 1);
    if (name == "HOME") value = kHome;
    if (name == "TMPDIR") value = "/tmp";
    if (name == "PYTHONNOUSERSITE") nousersite = true;
    for (size_t at = value.find(workspace); !workspace.empty() && at != std::string::npos;
         at = value.find(workspace, at)) {
      value.replace(at, workspace.size(), kSandboxWorkspace);
      at += sizeof kSandboxWorkspace - 1;
    }
    out.push_back(name + "=" + value);
  }
  if (!nousersite) out.push_back("PYTHONNOUSERSITE=1");
  return out;
}

std::vector<std::string> BwrapCommand(const SandboxSettings& s, const ProcessRequest& req,
                                      long nproc) {
  std::string workspace = fs::path(req.cwd).lexically_normal().string();
  if (workspace.size() > 1 && workspace.back() == '/') workspace.pop_back();
  Args a;
  a.Add({s.bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
         "--unshare-cgroup-try", "--die-with-parent", "--new-session"});
  if (s.privileged) {
    // No user namespace: inside it the uid would map to host root.
    a.Add({"--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add",
           "CAP_SETPCAP"});
  } else {
    a.Add({"--unshare-user"});
  }
  a.Add({"--ro-bind", "/usr", "/usr"});
  for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code ec;
    if (fs::is_symlink(top, ec)) {
      a.Add({"--symlink", fs::read_symlink(top, ec).string(), top});
    } else if (fs::is_directory(top, ec)) {
      a.Add({"--ro-bind", top, top});
    }
  }
  a.Add({"--perms", "0755", "--dir", "/etc"});
  for (const char* f : kEtcFiles) a.Add({"--ro-bind-try", f, f});
  a.Add({"--proc", "/proc", "--dev", "/dev", "--perms", "01777", "--size",
         std::to_string(s.tmp_bytes), "--tmpfs", "/tmp", "--perms", "01777", "--dir", kHome});
  a.Add({req.workspace_read_only ? "--ro-bind" : "--bind", workspace, kSandboxWorkspace});
  std::vector<std::string> argv;
  std::set<std::string> bound;
  for (const std::string& arg : req.argv) {
    std::string mapped = SandboxArgument(arg, workspace);
    argv.push_back(mapped);
    std::error_code ec;
    if (mapped.empty() || mapped[0] != '/' || Under(mapped, kSandboxWorkspace) ||
        Provided(mapped) || !fs::exists(mapped, ec) || !bound.insert(mapped).second) {
      continue;
    }
    a.Parents(mapped);
    a.Add({"--ro-bind", mapped, mapped});
  }
  a.Add({"--chdir", kSandboxWorkspace, "--"});
  if (s.privileged) {
    std::string id = std::to_string(req.sandbox_uid);
    a.Add({s.setpriv, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--inh-caps=-all",
           "--bounding-set=-all", "--no-new-privs", "--"});
  }
  a.Add({s.prlimit, "--nproc=" + std::to_string(nproc), "--"});
  std::vector<std::string> out = a.Take();
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

}  // namespace ctxbench
