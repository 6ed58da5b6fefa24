// Planted payload reads by key: cmake/check_payload_reads.cmake must name
// each of lines 5 to 12 (and not this comment's ValueOr(e.data, "x")).
namespace ctxbench {
void Planted(const Event& e, const Event* p, const ContextData& c) {
  bool ok = e.data.value("ok", false);
  auto tool = e.data["tool"];
  double v = ValueOr(e.data, "valid_metric", 0.0);
  const Json& d = e.data;
  const Json* q = &p->data;
  if (p->data.contains("tokens")) Use(ok, tool, v, d, q);
  auto kept = c.manifest.value("kept", Json::array());
  const Json* m = &c.manifest;
}
}  // namespace ctxbench
