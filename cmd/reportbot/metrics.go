package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/reportbot/reportbot/answer"
)

// metrics are the Prometheus metrics of answering, on their own registry
// (no global state).
type metrics struct {
	reg          *prometheus.Registry
	answers      *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	topScore     prometheus.Histogram
	grounding    *prometheus.CounterVec
	providerErrs prometheus.Counter
	askErrors    prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reportbot_answers_total", Help: "Answers given, by mode (llm, extractive), language and outcome (answered, not_found).",
		}, []string{"mode", "lang", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "reportbot_answer_seconds", Help: "Time to answer a question, by stage (retrieve, total).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60},
		}, []string{"stage"}),
		topScore: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "reportbot_retrieval_top_score", Help: "Evidence score of the best passage after reranking.",
			Buckets: prometheus.LinearBuckets(0, 0.1, 15),
		}),
		grounding: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "reportbot_grounding_fixes_total", Help: "Grounding check actions on model answers: removed_citation, retried, fell_back.",
		}, []string{"action"}),
		providerErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_provider_errors_total", Help: "Answers where the model provider failed and the extractive answer was used.",
		}),
		askErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "reportbot_ask_errors_total", Help: "Questions that failed with an error (bad input, retrieval failure).",
		}),
	}
	m.reg.MustRegister(m.answers, m.latency, m.topScore, m.grounding, m.providerErrs, m.askErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records one answer (or its error).
func (m *metrics) observe(a *answer.Answer, err error) {
	if err != nil || a == nil {
		m.askErrors.Inc()
		return
	}
	outcome := "answered"
	if a.NotFound {
		outcome = "not_found"
	}
	m.answers.WithLabelValues(a.Mode, a.Query.Lang, outcome).Inc()
	m.latency.WithLabelValues("retrieve").Observe(a.Timings.Retrieve.Seconds())
	m.latency.WithLabelValues("total").Observe(a.Timings.Total.Seconds())
	if len(a.Hits) > 0 {
		m.topScore.Observe(a.Hits[0].Rerank)
	}
	if g := a.Grounding; g != nil {
		m.grounding.WithLabelValues("removed_citation").Add(float64(len(g.RemovedCitations)))
		if len(g.Unsupported) > 0 {
			m.grounding.WithLabelValues("unsupported_figure").Inc()
		}
		if len(g.OtherYears) > 0 {
			m.grounding.WithLabelValues("other_years").Inc()
		}
		if g.OtherPeriod {
			m.grounding.WithLabelValues("other_period").Inc()
		}
		if g.Retried {
			m.grounding.WithLabelValues("retried").Inc()
		}
		if g.FellBack {
			m.grounding.WithLabelValues("fell_back").Inc()
		}
		if g.ProviderError {
			m.providerErrs.Inc()
		}
	}
}

// healthFunc reports whether the service can answer; nil means healthy.
type healthFunc func(ctx context.Context) error

// serveOps serves /healthz and /metrics on addr until ctx ends. It returns
// the bound address (useful with port 0) once listening.
func serveOps(ctx context.Context, addr string, m *metrics, health healthFunc, log *slog.Logger) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("ops listener %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		hctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := health(hctx); err != nil {
			log.Warn("health check failed", "err", err)
			http.Error(w, "unhealthy", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("ops server stopped", "err", err)
		}
	}()
	log.Info("serving /healthz and /metrics", "addr", ln.Addr().String())
	return ln.Addr().String(), nil
}
