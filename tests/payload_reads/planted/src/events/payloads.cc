// The payloads' home reads by key: not checked.
bool Ok(const Event& e) { return e.data.value("ok", false); }
