// Wrapper module: builds etcd v3.6.16. go.etcd.io/etcd/server/v3 has replace directives in its
// go.mod, so `go install` refuses it; as a dependency of ours those directives are ignored.
module canary-promoter/tools/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 v3.6.16
