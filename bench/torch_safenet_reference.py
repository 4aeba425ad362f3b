#!/usr/bin/python3
"""Reference training benchmark: the SafeNet reference configuration in PyTorch, for a side-by-side ratio.

Provenance: copied into the package from the project's shared benchmark folder (bench/torch_safenet_reference.py
of the shared materials, written for issue 2 of this project), unchanged except for this provenance note and the
parameter-count check after the model is built (PyTorch counts 268,787: its LSTM has a second, redundant bias per
direction, 800 values); bench/train.ts runs it and checks that its parameter count equals
that of SAFENET_REFERENCE in lib/models/safenet.ts (267,987).

Set-up (Debian): apt-get install -y python3-torch libopenblas0-pthread
Run:            /usr/bin/python3 bench/torch_safenet_reference.py [N=20000] [threads=2] [epochs=1]
(Debian's torch only works with /usr/bin/python3, not with another python3 that may come first on PATH.)

The reference configuration (the same in the project's own benchmark, so that the two figures compare):
input window 70 x 4 (B_N, B_E, B_C, Ne) split into 7 sub-sequences of 10 -> per sub-sequence
Conv1D(64, kernel 3, relu) -> Conv1D(64, kernel 3, relu) -> Dropout(0.5) -> MaxPool(2) -> Flatten (3 x 64 = 192)
-> Bidirectional LSTM(100), last state of both directions concatenated (200) -> Dropout(0.5) -> Dense(100, relu)
-> Dense(3, softmax); categorical cross-entropy; Adam(lr 1e-3); batch 64; 267,987 trainable parameters.
It prints the training throughput in windows per second over whole epochs (the first batch included).
"""
import sys
import time

import torch
import torch.nn as nn

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
EPOCHS = int(sys.argv[3]) if len(sys.argv) > 3 else 1
BATCH = 64
torch.set_num_threads(THREADS)
torch.manual_seed(0)


class SafeNetReference(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 64, 3)
        self.conv2 = nn.Conv1d(64, 64, 3)
        self.drop1 = nn.Dropout(0.5)
        self.pool = nn.MaxPool1d(2)
        self.lstm = nn.LSTM(192, 100, batch_first=True, bidirectional=True)
        self.drop2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(200, 100)
        self.fc2 = nn.Linear(100, 3)

    def forward(self, x):  # x: [batch, 7, 10, 4]
        b, steps, length, channels = x.shape
        z = x.reshape(b * steps, length, channels).transpose(1, 2)  # TimeDistributed over the 7 sub-sequences
        z = torch.relu(self.conv1(z))
        z = torch.relu(self.conv2(z))
        z = self.pool(self.drop1(z))  # [b*7, 64, 3]
        z = z.transpose(1, 2).reshape(b, steps, -1)  # Keras flattens (steps, channels): [b, 7, 192]
        _, (h, _) = self.lstm(z)  # h: [2, b, 100]
        z = self.drop2(torch.cat([h[0], h[1]], dim=1))
        return self.fc2(torch.relu(self.fc1(z)))  # logits; CrossEntropyLoss applies the softmax


model = SafeNetReference()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
params = sum(p.numel() for p in model.parameters())
print(f"torch {torch.__version__} threads {torch.get_num_threads()} params {params}")
# PyTorch's LSTM keeps two bias vectors per direction (b_ih and b_hh, whose sum is Keras' one bias): 2 x 4 x 100
# more parameters for the same function; without them the count must be SAFENET_REFERENCE's
redundant = sum(p.numel() for n, p in model.lstm.named_parameters() if n.startswith("bias_hh"))
print(f"params as Keras counts them (one LSTM bias per direction): {params - redundant}")
if params - redundant != 267987:
    sys.exit(f"torch_safenet_reference.py: {params - redundant} parameters (Keras count), expected 267,987 (SAFENET_REFERENCE)")
x = torch.randn(N, 70, 4).reshape(N, 7, 10, 4)
y = torch.randint(0, 3, (N,))
start = time.time()
for _ in range(EPOCHS):
    order = torch.randperm(N)
    for i in range(0, N, BATCH):
        idx = order[i:i + BATCH]
        optimizer.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
seconds = time.time() - start
print(f"RESULT torch windows={N} epochs={EPOCHS} seconds={seconds:.1f} windows_per_s={N * EPOCHS / seconds:.0f}")
