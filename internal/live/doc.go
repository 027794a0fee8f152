// Package live holds the opt-in live contract suite (make testlive): a short
// scenario against the real Coze API, or any COZE_API_BASE, that applies a
// full configuration to one reused bot, checks that the next plan is empty,
// and reports field by field where the real retrieve answer differs from the
// mock's (internal/mockcoze) for the same configuration. Everything is in
// its tests; it runs only with COZE_LIVE=1, which make testlive sets, so a
// token in the environment never makes make test call the real API.
package live
