package main
import ("context";"os";"testing")
func TestZZEvalProbe(t *testing.T){ if err := cmdEvalSentiment(context.Background(), []string{"-data","../../testdata/sentiment"}, os.Stdout, os.Stderr); err != nil { t.Fatal(err) } }
