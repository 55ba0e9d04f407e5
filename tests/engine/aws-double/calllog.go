package main

import (
	"encoding/json"
	"os"
	"sync"
)

// entry is one line of the call log; tests read it to assert that nothing was replaced or deleted.
type entry struct {
	Op       string   `json:"op"`
	Type     string   `json:"type"`
	URN      string   `json:"urn,omitempty"`
	Preview  bool     `json:"preview"`
	Replaces []string `json:"replaces"`
	Changes  []string `json:"changes,omitempty"`
}

// callLog appends JSON lines to the file named by REDIS_HA_AWS_DOUBLE_LOG; without it, it does nothing.
type callLog struct {
	mu   sync.Mutex
	path string
}

const logEnv = "REDIS_HA_AWS_DOUBLE_LOG"

func callLogFromEnv() *callLog { return &callLog{path: os.Getenv(logEnv)} }

func (l *callLog) record(e entry) {
	if l == nil || l.path == "" {
		return
	}
	if e.Replaces == nil {
		e.Replaces = []string{}
	}
	line, err := json.Marshal(e)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		os.Stderr.WriteString("aws double: cannot write the call log " + l.path + ": " + err.Error() + "\n")
		return
	}
	defer f.Close()
	f.Write(append(line, '\n'))
}
